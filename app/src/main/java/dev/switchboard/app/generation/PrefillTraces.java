package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.model.ModelHolder;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.app.model.TokenRouting;
import dev.switchboard.app.security.AdminCaller;
import dev.switchboard.runtime.routing.RoutingOverride;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a prompt's prefill through the scheduler (same queue, same admission) and returns the full routing of
 * every prompt position. The entry point of the routing playground ({@code POST /api/route}).
 */
@Component
public class PrefillTraces {

    /** A prompt and its routing, position by position. */
    public record PrefillTrace(ServedModel model, int[] tokens, TokenRouting[] routing) {}

    private static final String ENDPOINT = "route";

    private final JsonMapper json;
    private final ModelHolder models;
    private final GenerationService generation;
    private final RequestPreparation preparation;

    PrefillTraces(JsonMapper json, ModelHolder models, GenerationService generation, RequestPreparation preparation) {
        this.preparation = preparation;
        this.json = json;
        this.models = models;
        this.generation = generation;
    }

    /**
     * @param body {@code {"model"?: id, "input": text}} (tokenized with BOS) or {@code {"model"?: id, "messages": [...]}}
     *     (rendered with the chat template), with an optional {@code routing_override} (admin token only)
     */
    public Mono<PrefillTrace> trace(String body) {
        return AdminCaller.isAdmin().flatMap(admin -> preparation.run(ENDPOINT, () -> prepare(body, admin))).flatMap(this::start);
    }

    /** Parsed and tokenized, not yet submitted (a request dropped meanwhile never reaches the scheduler). */
    private record TracePrompt(ServedModel model, int[] prompt, @Nullable RoutingOverride routingOverride) {}

    private TracePrompt prepare(String body, boolean admin) {
        RequestFields fields = RequestBodies.parse(json, body);
        String requested = fields.optionalString("model");
        RoutingOverrideRequest override = RoutingOverrideRequest.parse(fields.node(RoutingOverrideRequest.PARAM));
        ServedModel model = requested == null ? models.require() : models.require(requested);
        RoutingOverride routingOverride = RoutingOverrideResolver.resolve(override, admin, model);
        int[] prompt;
        if (fields.isSet("messages")) {
            prompt = PromptParser.chatTokens(model, PromptParser.messages(fields));
        } else {
            String input = fields.optionalString("input");
            if (input == null) {
                throw ApiException.invalid("input", "Send 'input' (text) or 'messages' (a chat)");
            }
            PromptLength.requireFits(model, input.length(), "input");
            prompt = model.tokenizer().encodePrompt(input);
        }
        return new TracePrompt(model, prompt, routingOverride);
    }

    private Mono<PrefillTrace> start(TracePrompt traced) {
        ServedModel model = traced.model();
        GenerationJob job = generation.trace(model, traced.prompt(), ENDPOINT, traced.routingOverride());
        return job.events().filter(event -> event instanceof GenerationEvent.Prefilled || event instanceof GenerationEvent.Failed)
                .next()
                .map(event -> {
                    if (event instanceof GenerationEvent.Failed failed) {
                        throw failed.error();
                    }
                    GenerationEvent.Prefilled prefilled = (GenerationEvent.Prefilled) event;
                    return new PrefillTrace(model, prefilled.promptTokens(), prefilled.routing());
                });
    }
}
