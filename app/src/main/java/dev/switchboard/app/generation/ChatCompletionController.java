package dev.switchboard.app.generation;

import dev.switchboard.app.generation.openai.ChatCompletion;
import dev.switchboard.app.generation.openai.ChatCompletionChunk;
import dev.switchboard.app.generation.openai.ChatCompletionRequest;
import dev.switchboard.app.model.ModelHolder;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.app.security.AdminCaller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible, streaming or not; see docs/API.md. The body is read as
 * text and bound to {@link ChatCompletionRequest} on a preparation thread (never on the event loop); the
 * OpenAPI annotations describe the record it is bound to and the records written back.
 */
@RestController
class ChatCompletionController {

    static final String ENDPOINT = "chat";

    private final RequestBinder binder;
    private final ModelHolder models;
    private final GenerationService generation;
    private final GenerationResponder responder;
    private final RequestPreparation preparation;

    ChatCompletionController(RequestBinder binder, ModelHolder models, GenerationService generation,
            GenerationResponder responder, RequestPreparation preparation) {
        this.binder = binder;
        this.models = models;
        this.generation = generation;
        this.responder = responder;
        this.preparation = preparation;
    }

    @PostMapping("/v1/chat/completions")
    @Operation(summary = "Chat completion, whole or streamed as server-sent events (\"stream\": true)")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ChatCompletionRequest.class)))
    @ApiResponse(responseCode = "200", description = "The completion, or with \"stream\": true one chunk per event", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ChatCompletion.class)),
        @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(implementation = ChatCompletionChunk.class))})
    Mono<Void> chat(@RequestBody String body, ServerHttpResponse response) {
        return AdminCaller.isAdmin().flatMap(admin -> preparation.run(ENDPOINT, () -> prepare(body, admin)))
                .flatMap(prepared -> start(prepared, response));
    }

    private PreparedRequest prepare(String body, boolean admin) {
        ChatCompletionRequest request = binder.bind(body, ChatCompletionRequest.class);
        ServedModel model = models.require(request.parameters().model());
        return new PreparedRequest(request.parameters(), model, PromptParser.chatTokens(model, request.messages()),
                RoutingOverrideResolver.resolve(request.parameters().routingOverride(), admin, model));
    }

    private Mono<Void> start(PreparedRequest prepared, ServerHttpResponse response) {
        String id = ResponseIds.newId("chatcmpl-");
        GenerationJob job = generation.start(id, prepared.model(), prepared.prompt(), prepared.request(), null, "messages", ENDPOINT,
                prepared.routingOverride());
        ResponseShape shape = new ChatResponseShape(id, Instant.now().getEpochSecond(), prepared.model().id(),
                prepared.request().includeUsage());
        return responder.respond(response, job, shape, prepared.request());
    }
}
