package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Parses request bodies (400 on bad JSON) and makes response ids. */
final class RequestBodies {

    private RequestBodies() {}

    static RequestFields parse(JsonMapper json, String body) {
        try {
            return new RequestFields(json.readTree(body));
        } catch (JacksonException e) {
            throw ApiException.invalid(null, "The request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** An id with {@code prefix}; ThreadLocalRandom, since SecureRandom may block a request thread. */
    static String newId(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return prefix + Long.toHexString(random.nextLong() & Long.MAX_VALUE) + Integer.toHexString(random.nextInt() & 0xffffff);
    }
}
