package dev.switchboard.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.RawHttp;
import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * What a web page can make a visitor's browser send to a local Switchboard without a CORS preflight (a
 * {@code text/plain} or form POST, with its own {@code Origin}) runs nothing: bodies must be
 * {@code application/json} (415 otherwise) and a foreign {@code Origin} is refused (403) unless CORS lists it.
 */
class CrossSiteRequestTest extends ServingTestBase {

    private static final String EVIL = "https://evil.example";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text/plain", "text/plain;charset=UTF-8", "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded", "application/xml", "application/octet-stream"})
    void aJsonBodySentAsAnotherTypeIs415(String contentType) {
        for (String uri : new String[] {"/v1/chat/completions", "/v1/completions", "/api/route"}) {
            web.post().uri(uri).header(HttpHeaders.CONTENT_TYPE, contentType).bodyValue(chat("\"max_tokens\":1"))
                    .exchange().expectStatus().isEqualTo(415)
                    .expectBody()
                    .jsonPath("$.error.type").isEqualTo("invalid_request_error")
                    .jsonPath("$.error.code").isEqualTo("unsupported_media_type")
                    .jsonPath("$.error.param").isEmpty();
        }
        assertThat(controls.steps()).as("nothing reached the model").isEmpty();
    }

    @Test
    void aBodyWithoutContentTypeIs415() throws IOException {
        String body = chat("\"max_tokens\":1");
        RawHttp.Response response = RawHttp.exchange(port, "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + ServingTest.API_KEY + "\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(response.status()).isEqualTo(415);
        assertThat(response.body()).contains("\"type\":\"invalid_request_error\"", "application/json");
    }

    @Test
    void jsonWithACharsetIsAccepted() {
        web.post().uri("/v1/chat/completions").header(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .bodyValue(chat("\"max_tokens\":1")).exchange().expectStatus().isOk();
    }

    @Test
    void aForeignOriginIsRefusedWhateverTheContentType() {
        for (MediaType type : new MediaType[] {MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON}) {
            anonymous.post().uri("/v1/chat/completions").header(HttpHeaders.ORIGIN, EVIL).contentType(type)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.API_KEY)
                    .bodyValue(chat("\"max_tokens\":1")).exchange()
                    .expectStatus().isForbidden()
                    .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)
                    .expectBody()
                    .jsonPath("$.error.type").isEqualTo("permission_error")
                    .jsonPath("$.error.code").isEqualTo("origin_not_allowed");
        }
        web.post().uri("/api/route").header(HttpHeaders.ORIGIN, "null").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"input\":\"hi\"}").exchange().expectStatus().isForbidden();
        assertThat(controls.steps()).as("nothing reached the model").isEmpty();
    }

    @Test
    void theServersOwnOriginPasses() {
        web.post().uri("/v1/chat/completions").header(HttpHeaders.ORIGIN, "http://localhost:" + port)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(chat("\"max_tokens\":1")).exchange()
                .expectStatus().isOk();
    }
}
