package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.model.ModelHolder;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.app.model.TokenRouting;
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
     *     (rendered with the chat template)
     */
    public Mono<PrefillTrace> trace(String body) {
        return preparation.run(ENDPOINT, () -> prepare(body)).flatMap(this::start);
    }

    /** Parsed and tokenized, not yet submitted (a request dropped meanwhile never reaches the scheduler). */
    private record TracePrompt(ServedModel model, int[] prompt) {}

    private TracePrompt prepare(String body) {
        RequestFields fields = RequestBodies.parse(json, body);
        String requested = fields.optionalString("model");
        ServedModel model = requested == null ? models.require() : models.require(requested);
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
        return new TracePrompt(model, prompt);
    }

    private Mono<PrefillTrace> start(TracePrompt traced) {
        ServedModel model = traced.model();
        GenerationJob job = generation.trace(model, traced.prompt(), ENDPOINT);
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
