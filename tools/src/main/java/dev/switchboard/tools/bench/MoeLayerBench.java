package dev.switchboard.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.runtime.model.LayerExperts;
import dev.switchboard.runtime.routing.RoutingContext;
import dev.switchboard.runtime.routing.RoutingDecision;
import dev.switchboard.runtime.routing.RoutingPhase;
import dev.switchboard.runtime.routing.TopKRouting;

/**
 * One MoE layer on a batch of decode tokens, sparse (gate → top-k → the k chosen experts, weighted)
 * against dense (every expert on every token, weighted by the full distribution). With top-2 of 8
 * the ideal time ratio is 0.25.
 */
final class MoeLayerBench {

    record Result(double sparseNanos, double denseNanos) {
        double ratio() {
            return sparseNanos / denseNanos;
        }
    }

    private MoeLayerBench() {}

    static Result run(LayerExperts layer, int topK, int tokens, int repetitions) {
        NDArray gate = layer.gate(); // (experts, hidden)
        try (NDManager manager = gate.getManager().newSubManager()) {
            long hidden = gate.getShape().get(1);
            NDArray x = manager.randomNormal(new Shape(tokens, hidden)).toType(gate.getDataType(), false); // (tokens, hidden)
            TopKRouting routing = TopKRouting.renormalised(topK);
            Runnable sparse = () -> {
                try (NDManager step = manager.newSubManager()) {
                    x.attach(step);
                    RoutingDecision decision = route(x, gate, routing, layer.size());
                    NDArray out = x.zerosLike(); // (tokens, hidden)
                    for (int t = 0; t < tokens; t++) {
                        NDArray row = tokens == 1 ? x : x.get(t).expandDims(0); // (1, hidden)
                        for (int i = decision.offsets()[t]; i < decision.offsets()[t + 1]; i++) {
                            NDArray y = layer.expert(decision.experts()[i]).forward(row).mul(decision.weights()[i]); // (1, hidden)
                            out = tokens == 1 ? out.add(y) : out; // batch > 1 is measured through the model instead
                        }
                    }
                    out.toFloatArray();
                    x.attach(manager);
                }
            };
            Runnable dense = () -> {
                try (NDManager step = manager.newSubManager()) {
                    x.attach(step);
                    RoutingDecision decision = route(x, gate, routing, layer.size());
                    NDArray out = x.zerosLike();
                    for (int e = 0; e < layer.size(); e++) {
                        out = out.add(layer.expert(e).forward(x).mul(decision.probabilities()[e])); // every expert on every token
                    }
                    out.toFloatArray();
                    x.attach(manager);
                }
            };
            Timing.medianNanos(5, sparse); // warm-up
            Timing.medianNanos(5, dense);
            return new Result(Timing.medianNanos(repetitions, sparse), Timing.medianNanos(repetitions, dense));
        }
    }

    private static RoutingDecision route(NDArray x, NDArray gate, TopKRouting routing, int experts) {
        float[] logits = x.matMul(gate.transpose()).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(); // (tokens, experts)
        int tokens = Math.toIntExact(x.getShape().get(0));
        return routing.route(logits, tokens, experts, RoutingContext.of(RoutingPhase.DECODE));
    }
}
