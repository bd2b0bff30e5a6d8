package dev.switchboard.app.generation;

import dev.switchboard.app.model.ChatMessage;
import dev.switchboard.app.model.ModelHolder;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.app.security.AdminCaller;
import java.time.Instant;
import java.util.List;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /v1/chat/completions}, OpenAI-compatible, streaming or not; see docs/API.md. */
@RestController
class ChatCompletionController {

    static final String ENDPOINT = "chat";

    private final JsonMapper json;
    private final ModelHolder models;
    private final GenerationService generation;
    private final GenerationResponder responder;
    private final RequestPreparation preparation;

    ChatCompletionController(JsonMapper json, ModelHolder models, GenerationService generation, GenerationResponder responder,
            RequestPreparation preparation) {
        this.preparation = preparation;
        this.json = json;
        this.models = models;
        this.generation = generation;
        this.responder = responder;
    }

    @PostMapping("/v1/chat/completions")
    Mono<Void> chat(@RequestBody String body, ServerHttpResponse response) {
        return AdminCaller.isAdmin().flatMap(admin -> preparation.run(ENDPOINT, () -> prepare(body, admin)))
                .flatMap(prepared -> start(prepared, response));
    }

    private PreparedRequest prepare(String body, boolean admin) {
        RequestFields fields = RequestBodies.parse(json, body);
        OpenAiRequest request = OpenAiRequest.parse(fields);
        List<ChatMessage> messages = PromptParser.messages(fields);
        ServedModel model = models.require(request.model());
        return new PreparedRequest(request, model, PromptParser.chatTokens(model, messages),
                RoutingOverrideResolver.resolve(request.routingOverride(), admin, model));
    }

    private Mono<Void> start(PreparedRequest prepared, ServerHttpResponse response) {
        String id = RequestBodies.newId("chatcmpl-");
        GenerationJob job = generation.start(id, prepared.model(), prepared.prompt(), prepared.request(), null, "messages", ENDPOINT,
                prepared.routingOverride());
        ResponseShape shape = new ResponseShape(json, ResponseShape.Kind.CHAT, id,
                Instant.now().getEpochSecond(), prepared.model().id(), prepared.request().includeUsage());
        return responder.respond(response, job, shape, prepared.request());
    }
}
