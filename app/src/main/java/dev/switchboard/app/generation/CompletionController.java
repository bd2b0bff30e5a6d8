package dev.switchboard.app.generation;

import dev.switchboard.app.generation.openai.CompletionRequest;
import dev.switchboard.app.generation.openai.TextCompletion;
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
 * {@code POST /v1/completions} (legacy text completions), OpenAI-compatible; {@code max_tokens} defaults to 16.
 * Bound like chat: text in, {@link CompletionRequest} on a preparation thread.
 */
@RestController
class CompletionController {

    static final String ENDPOINT = "completions";
    /** OpenAI's default for this endpoint. */
    static final int DEFAULT_MAX_TOKENS = 16;

    private final RequestBinder binder;
    private final ModelHolder models;
    private final GenerationService generation;
    private final GenerationResponder responder;
    private final RequestPreparation preparation;

    CompletionController(RequestBinder binder, ModelHolder models, GenerationService generation,
            GenerationResponder responder, RequestPreparation preparation) {
        this.binder = binder;
        this.models = models;
        this.generation = generation;
        this.responder = responder;
        this.preparation = preparation;
    }

    @PostMapping("/v1/completions")
    @Operation(summary = "Text completion (legacy), whole or streamed as server-sent events (\"stream\": true)")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = CompletionRequest.class)))
    @ApiResponse(responseCode = "200", description = "The completion, or with \"stream\": true one chunk per event", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TextCompletion.class)),
        @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(implementation = TextCompletion.class))})
    Mono<Void> complete(@RequestBody String body, ServerHttpResponse response) {
        return AdminCaller.isAdmin().flatMap(admin -> preparation.run(ENDPOINT, () -> prepare(body, admin)))
                .flatMap(prepared -> start(prepared, response));
    }

    private PreparedRequest prepare(String body, boolean admin) {
        CompletionRequest request = binder.bind(body, CompletionRequest.class);
        ServedModel model = models.require(request.parameters().model());
        return new PreparedRequest(request.parameters(), model, PromptParser.completionTokens(model, request.prompt()),
                RoutingOverrideResolver.resolve(request.parameters().routingOverride(), admin, model));
    }

    private Mono<Void> start(PreparedRequest prepared, ServerHttpResponse response) {
        String id = ResponseIds.newId("cmpl-");
        GenerationJob job = generation.start(id, prepared.model(), prepared.prompt(), prepared.request(), DEFAULT_MAX_TOKENS,
                "prompt", ENDPOINT, prepared.routingOverride());
        ResponseShape shape = new TextResponseShape(id, Instant.now().getEpochSecond(), prepared.model().id(),
                prepared.request().includeUsage());
        return responder.respond(response, job, shape, prepared.request());
    }
}
