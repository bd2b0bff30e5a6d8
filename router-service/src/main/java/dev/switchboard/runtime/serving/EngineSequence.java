package dev.switchboard.runtime.serving;

/**
 * One sequence's KV cache in a {@link ServingEngine}, from {@link ServingEngine#newSequence()}. Not thread-safe: it
 * takes part in one step at a time. Closed exactly once, by whoever asked for it, which frees its cache.
 */
public interface EngineSequence extends AutoCloseable {

    /** Tokens already in the cache: the position the next token takes. */
    int length();

    @Override
    void close();
}
