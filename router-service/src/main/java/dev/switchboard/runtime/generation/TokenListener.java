package dev.switchboard.runtime.generation;

/** Receives generated tokens as they are produced, on the generating thread. */
@FunctionalInterface
public interface TokenListener {

    TokenListener NONE = token -> {};

    void onToken(GeneratedToken token);
}
