package dev.switchboard.app.errors;

import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Builds the JSON of an {@link ApiException} in OpenAI's shape, for response bodies and for SSE error events. */
public final class OpenAiErrorBody {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OpenAiErrorBody() {}

    /** {@code {"error":{"message":…,"type":…,"param":…|null,"code":…|null}}} */
    public static ObjectNode of(ApiException error) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode body = root.putObject("error");
        body.put("message", error.getMessage());
        body.put("type", error.type());
        body.put("param", error.param());
        body.put("code", error.code());
        return root;
    }

    public static String json(ApiException error) {
        return JSON.writeValueAsString(of(error));
    }

    /** Writes {@code error} as the whole response, with {@code Retry-After} when it has one. */
    public static Mono<Void> write(ServerHttpResponse response, ApiException error) {
        response.setStatusCode(error.status());
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (error.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, error.retryAfter().toSeconds())));
        }
        DataBuffer body = response.bufferFactory().wrap(json(error).getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(body));
    }
}
