package dev.switchboard.app.generation;

import java.util.concurrent.ThreadLocalRandom;

/** Response ids ({@code chatcmpl-…}, {@code cmpl-…}, {@code route-…}). */
final class ResponseIds {

    private ResponseIds() {}

    /** An id with {@code prefix}; ThreadLocalRandom, since SecureRandom may block a request thread. */
    static String newId(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return prefix + Long.toHexString(random.nextLong() & Long.MAX_VALUE) + Integer.toHexString(random.nextInt() & 0xffffff);
    }
}
