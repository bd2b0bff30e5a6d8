package dev.switchboard.app.model;

/** One sequence's KV cache inside a {@link BatchModel}. Closed exactly once, by the scheduler. */
public interface ModelSequence extends AutoCloseable {

    /** Tokens already in the cache. */
    int length();

    @Override
    void close();
}
