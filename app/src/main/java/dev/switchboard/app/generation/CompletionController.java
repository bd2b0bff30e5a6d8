package dev.switchboard.app.generation;

import dev.switchboard.app.model.ModelHolder;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.app.security.AdminCaller;
import java.time.Instant;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /v1/completions} (legacy text completions), OpenAI-compatible; {@code max_tokens} defaults to 16. */
@RestController
class CompletionController {

    static final String ENDPOINT = "completions";
    /** OpenAI's default for this endpoint. */
    static final int DEFAULT_MAX_TOKENS = 16;

    private final JsonMapper json;
    private final ModelHolder models;
    private final GenerationService generation;
    private final GenerationResponder responder;
    private final RequestPreparation preparation;

    CompletionController(JsonMapper json, ModelHolder models, GenerationService generation, GenerationResponder responder,
            RequestPreparation preparation) {
        this.preparation = preparation;
        this.json = json;
        this.models = models;
        this.generation = generation;
        this.responder = responder;
    }

    @PostMapping("/v1/completions")
    Mono<Void> complete(@RequestBody String body, ServerHttpResponse response) {
        return AdminCaller.isAdmin().flatMap(admin -> preparation.run(ENDPOINT, () -> prepare(body, admin)))
                .flatMap(prepared -> start(prepared, response));
    }

    private PreparedRequest prepare(String body, boolean admin) {
        RequestFields fields = RequestBodies.parse(json, body);
        OpenAiRequest request = OpenAiRequest.parse(fields);
        ServedModel model = models.require(request.model());
        return new PreparedRequest(request, model, PromptParser.completionTokens(model, fields),
                RoutingOverrideResolver.resolve(request.routingOverride(), admin, model));
    }

    private Mono<Void> start(PreparedRequest prepared, ServerHttpResponse response) {
        String id = RequestBodies.newId("cmpl-");
        GenerationJob job = generation.start(id, prepared.model(), prepared.prompt(), prepared.request(), DEFAULT_MAX_TOKENS,
                "prompt", ENDPOINT, prepared.routingOverride());
        ResponseShape shape = new ResponseShape(json, ResponseShape.Kind.TEXT, id,
                Instant.now().getEpochSecond(), prepared.model().id(), prepared.request().includeUsage());
        return responder.respond(response, job, shape, prepared.request());
    }
}
