package dev.switchboard.app.routing;

import dev.switchboard.app.generation.PrefillTraces;
import dev.switchboard.app.generation.PrefillTraces.PrefillTrace;
import dev.switchboard.app.model.ModelShape;
import dev.switchboard.app.model.TokenRouting;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/route}: the routing playground's data. Takes {@code input} text or chat {@code messages},
 * runs the prefill and answers, per prompt token, its text and per MoE layer the chosen experts, their
 * weights and the router's full distribution over all experts.
 */
@RestController
class RouteController {

    private final JsonMapper json;
    private final PrefillTraces traces;

    RouteController(JsonMapper json, PrefillTraces traces) {
        this.json = json;
        this.traces = traces;
    }

    @PostMapping("/api/route")
    Mono<ObjectNode> route(@RequestBody String body) {
        return traces.trace(body).map(this::render);
    }

    private ObjectNode render(PrefillTrace trace) {
        ModelShape shape = trace.model().shape();
        ObjectNode root = json.createObjectNode();
        root.put("model", trace.model().id());
        root.put("layers", shape.layers());
        root.put("experts", expertsRoutedOver(trace, shape));
        root.put("experts_per_token", shape.expertsPerToken());
        ArrayNode tokens = root.putArray("tokens");
        for (int position = 0; position < trace.tokens().length; position++) {
            ObjectNode token = tokens.addObject();
            token.put("position", position);
            token.put("id", trace.tokens()[position]);
            token.put("text", trace.model().tokenizer().tokenText(trace.tokens()[position]));
            ArrayNode layers = token.putArray("layers");
            TokenRouting routing = trace.routing()[position];
            for (int layer = 0; layer < routing.experts().length; layer++) {
                ObjectNode entry = layers.addObject();
                entry.put("layer", layer);
                ArrayNode experts = entry.putArray("experts");
                ArrayNode weights = entry.putArray("weights");
                for (int k = 0; k < routing.experts()[layer].length; k++) {
                    experts.add(routing.experts()[layer][k]);
                    weights.add(routing.weights()[layer][k]);
                }
                ArrayNode distribution = entry.putArray("probabilities");
                if (routing.probabilities() != null) {
                    for (float p : routing.probabilities()[layer]) {
                        distribution.add(p);
                    }
                }
            }
        }
        return root;
    }

    /**
     * Experts per layer in the expert table this prefill was routed through: the width of the router's
     * distribution, which counts contributed experts added since the checkpoint was loaded.
     */
    private static int expertsRoutedOver(PrefillTrace trace, ModelShape shape) {
        TokenRouting[] routing = trace.routing();
        if (routing.length == 0 || routing[0].probabilities() == null || routing[0].probabilities().length == 0) {
            return shape.experts();
        }
        return routing[0].probabilities()[0].length;
    }
}
