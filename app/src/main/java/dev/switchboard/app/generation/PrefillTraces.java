package dev.switchboard.app.generation;

import dev.switchboard.app.model.ModelHolder;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.routing.TokenTrace;
import dev.switchboard.app.security.AdminCaller;
import dev.switchboard.runtime.routing.RoutingOverride;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Runs a prompt's prefill through the scheduler (same queue, same admission) and returns the full routing of
 * every prompt position. The entry point of the routing playground ({@code POST /api/route}).
 */
@Component
public class PrefillTraces {

    /** A prompt and its routing, position by position. */
    public record PrefillTrace(ServedModel model, int[] tokens, List<TokenTrace> routing) {}

    private static final String ENDPOINT = "route";

    private final RequestBinder binder;
    private final ModelHolder models;
    private final GenerationService generation;
    private final RequestPreparation preparation;

    PrefillTraces(RequestBinder binder, ModelHolder models, GenerationService generation, RequestPreparation preparation) {
        this.preparation = preparation;
        this.binder = binder;
        this.models = models;
        this.generation = generation;
    }

    /**
     * @param body a {@link RouteRequest} as JSON text, bound here on a preparation thread; its {@code routing_override}
     *     needs the admin token
     */
    public Mono<PrefillTrace> trace(String body) {
        return AdminCaller.isAdmin().flatMap(admin -> preparation.run(ENDPOINT, () -> prepare(body, admin))).flatMap(this::start);
    }

    /** Parsed and tokenized, not yet submitted (a request dropped meanwhile never reaches the scheduler). */
    private record TracePrompt(ServedModel model, int[] prompt, @Nullable RoutingOverride routingOverride) {}

    private TracePrompt prepare(String body, boolean admin) {
        RouteRequest request = binder.bind(body, RouteRequest.class);
        ServedModel model = request.model() == null ? models.require() : models.require(request.model());
        RoutingOverride routingOverride = RoutingOverrideResolver.resolve(request.routingOverride(), admin, model);
        int[] prompt;
        if (request.messages() != null) {
            prompt = PromptParser.chatTokens(model, request.messages());
        } else {
            PromptLength.requireFits(model, request.input().length(), "input");
            prompt = model.tokenizer().encodePrompt(request.input());
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
