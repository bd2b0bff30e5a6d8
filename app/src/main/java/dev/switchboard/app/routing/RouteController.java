package dev.switchboard.app.routing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.app.generation.PrefillTraces;
import dev.switchboard.app.generation.PrefillTraces.PrefillTrace;
import dev.switchboard.app.generation.RouteRequest;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.routing.LayerChoice;
import dev.switchboard.runtime.routing.TokenTrace;
import dev.switchboard.runtime.serving.ExpertTableEditor;
import dev.switchboard.runtime.serving.ModelShape;
import java.util.ArrayList;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.stream.IntStream;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/route}: the routing playground's data. Takes {@code input} text or chat {@code messages},
 * runs the prefill and answers, per prompt token, its text and per MoE layer the chosen experts, their
 * weights and the router's full distribution over all experts. The answer is typed (records below) so the
 * OpenAPI document describes it and the dashboard's types are checked against it.
 */
@RestController
class RouteController {

    /**
     * The whole trace: the model's shape and one entry per prompt token. {@code dense_layers} route every token to
     * their one MLP (weight 1); in {@code shared_expert_layers} a shared expert also runs on every token, beside the
     * routed experts shown, weighted by its own sigmoid gate (docs/MODELS.md).
     */
    record RouteTrace(String model, int layers, int experts, @JsonProperty("experts_per_token") int expertsPerToken,
            @JsonProperty("dense_layers") List<Integer> denseLayers,
            @JsonProperty("shared_expert_layers") List<Integer> sharedExpertLayers, List<RoutedToken> tokens) {}

    /** One prompt token: its position, vocabulary id, raw vocabulary piece ({@code ▁the}) and routing per layer. */
    record RoutedToken(int position, int id, String text, List<LayerRoute> layers) {}

    /**
     * One token at one MoE layer: the top-k experts (first choice first), their renormalised routing weights,
     * and the router's softmax over all experts (empty when the runtime did not capture it).
     */
    record LayerRoute(int layer, int[] experts, float[] weights, float[] probabilities) {}

    private final PrefillTraces traces;

    RouteController(PrefillTraces traces) {
        this.traces = traces;
    }

    /** The body is read as text and bound to {@link RouteRequest} on a preparation thread, as for completions. */
    @PostMapping("/api/route")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = RouteRequest.class)))
    Mono<RouteTrace> route(@RequestBody String body) {
        return traces.trace(body).map(RouteController::render);
    }

    private static RouteTrace render(PrefillTrace trace) {
        ModelShape shape = trace.model().shape();
        List<RoutedToken> tokens = new ArrayList<>(trace.tokens().length);
        for (int position = 0; position < trace.tokens().length; position++) {
            TokenTrace routing = trace.routing().get(position);
            List<LayerRoute> layers = new ArrayList<>(routing.layers().size());
            for (LayerChoice choice : routing.layers()) {
                float[] probabilities = choice.probabilities() == null ? new float[0] : choice.probabilities();
                layers.add(new LayerRoute(choice.layer(), choice.experts(), choice.weights(), probabilities));
            }
            int id = trace.tokens()[position];
            tokens.add(new RoutedToken(position, id, trace.model().tokenizer().tokenText(id), layers));
        }
        return new RouteTrace(trace.model().id(), shape.layers(), expertsRoutedOver(trace, shape), shape.expertsPerToken(),
                layersWhere(trace.model(), ExpertTableEditor::isDense),
                layersWhere(trace.model(), (experts, l) -> experts.sharedExpert(l).isPresent()), tokens);
    }

    /** The layers of the served runtime model for which {@code test} holds; none for an engine without one. */
    private static List<Integer> layersWhere(ServedModel served, BiPredicate<ExpertTableEditor, Integer> test) {
        ExpertTableEditor experts = served.experts();
        if (experts == null) {
            return List.of();
        }
        return IntStream.range(0, experts.layers()).filter(l -> test.test(experts, l)).boxed().toList();
    }

    /**
     * Experts per layer in the expert table this prefill was routed through: the width of the router's
     * distribution, which counts contributed experts added since the checkpoint was loaded (the widest layer's: a
     * dense layer's distribution has one entry).
     */
    private static int expertsRoutedOver(PrefillTrace trace, ModelShape shape) {
        List<TokenTrace> routing = trace.routing();
        if (routing.isEmpty() || routing.get(0).layers().isEmpty() || routing.get(0).layers().get(0).probabilities() == null) {
            return shape.experts();
        }
        return routing.get(0).layers().stream().mapToInt(layer -> layer.probabilities() == null ? 0 : layer.probabilities().length)
                .max().orElse(shape.experts());
    }
}
