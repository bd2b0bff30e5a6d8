package dev.switchboard.app.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.RawHttp;
import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * A chunked body the HTTP decoder cannot read ({@code zz} as a chunk size, first or after a valid chunk) is the
 * client's mistake: 400 in OpenAI's shape saying so, the connection closed, nothing generated, and the server's own
 * request metrics record no 500 for it.
 */
class MalformedChunkedBodyTest extends ServingTestBase {

    @Test
    void aBadChunkSizeIsAClientErrorNotAServerError() throws IOException {
        double serverErrorsBefore = serverErrors();
        String chunk = chat("\"max_tokens\":1");
        for (String badChunks : new String[] {"zz\r\n" + chunk + "\r\n0\r\n\r\n",
                Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\nzz\r\n"}) {
            RawHttp.Response response = RawHttp.exchange(port, "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + ServingTest.API_KEY + "\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + badChunks);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body()).contains("\"type\":\"invalid_request_error\"", "chunked encoding");
        }
        assertThat(serverErrors()).as("http_server_requests with status 500").isEqualTo(serverErrorsBefore);
        assertThat(controls.steps()).as("nothing reached the model").isEmpty();
    }

    /** A client that closes the connection halfway through its body made no server error: nothing logged or counted as 500. */
    @Test
    void aClientLeavingMidBodyIsNoServerError() throws Exception {
        double serverErrorsBefore = serverErrors();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + ServingTest.API_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n"
                    + chat("\"max_tokens\":1")).getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            Thread.sleep(1000); // the server is reading the body by now
        }
        Thread.sleep(1000); // and has seen the connection close
        assertThat(serverErrors()).as("http_server_requests with status 500").isEqualTo(serverErrorsBefore);
        assertThat(controls.steps()).as("nothing reached the model").isEmpty();
    }

    /** Sum of {@code http_server_requests_seconds_count} over every series with {@code status="500"}. */
    private double serverErrors() {
        String scrape = anonymous.get().uri("/actuator/prometheus")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.ADMIN_TOKEN).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        Matcher series = Pattern.compile("(?m)^http_server_requests_seconds_count\\{([^}]*)} (\\S+)$").matcher(scrape);
        double total = 0;
        while (series.find()) {
            if (series.group(1).contains("status=\"500\"")) {
                total += Double.parseDouble(series.group(2));
            }
        }
        return total;
    }
}
