package dev.switchboard.app.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.RawHttp;
import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import java.io.IOException;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests the HTTP decoder itself refuses, before any application code runs (a request line or headers over the
 * limits, a header line that is not HTTP, conflicting lengths), are answered in OpenAI's error shape with
 * the status the protocol calls for, and the connection is closed; the bytes are written raw on a socket, as no HTTP
 * client would send them.
 */
class HttpProtocolErrorsTest extends ServingTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aHundredKilobyteUriIs414() throws IOException {
        JsonNode error = refused("GET /v1/models?q=" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n", 414);
        assertThat(error.get("code").asString()).isEqualTo("uri_too_long");
        assertThat(error.get("message").asString()).contains("request line", "bytes");
    }

    @Test
    void twentyKilobytesOfHeadersAre431() throws IOException {
        JsonNode error = refused("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ServingTest.API_KEY
                + "\r\nX-Padding: " + "b".repeat(20_000) + "\r\nConnection: close\r\n\r\n", 431);
        assertThat(error.get("code").asString()).isEqualTo("headers_too_large");
        assertThat(error.get("message").asString()).contains("headers", "bytes");
    }

    @Test
    void aRequestThatIsNotHttpIs400() throws IOException {
        for (String request : new String[] {
                "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nNot a header\r\nConnection: close\r\n\r\n",
                "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}"}) {
            JsonNode error = refused(request, 400);
            assertThat(error.get("code").asString()).as(request).isEqualTo("malformed_request");
            assertThat(error.get("message").asString()).as(request).startsWith("The request is not valid HTTP/1.1");
        }
        assertThat(controls.steps()).as("nothing reached the model").isEmpty();
    }

    /** Sends {@code request}, expects {@code status} with OpenAI's error body and a closed connection; returns the error. */
    private JsonNode refused(String request, int status) throws IOException {
        RawHttp.Response response = RawHttp.exchange(port, request);
        String shown = request.substring(0, Math.min(60, request.length()));
        assertThat(response.status()).as(shown).isEqualTo(status);
        assertThat(response.headers()).as(shown).containsIgnoringCase("Content-Type: application/json")
                .containsIgnoringCase("Connection: close");
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error).as(response.body()).isNotNull();
        assertThat(new TreeSet<>(JSON.convertValue(error, Map.class).keySet())).as(response.body())
                .containsExactly("code", "message", "param", "type");
        assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").isNull()).isTrue();
        return error;
    }
}
