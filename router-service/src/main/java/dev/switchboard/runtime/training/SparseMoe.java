package dev.switchboard.runtime.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.MixtralTensorLayout;
import dev.switchboard.runtime.routing.RoutingContext;
import dev.switchboard.runtime.routing.RoutingDecision;
import dev.switchboard.runtime.routing.RoutingPhase;
import dev.switchboard.runtime.routing.TopKRouting;
import java.util.Map;

/**
 * One trainable MoE block with sparse dispatch: the serving router ({@link TopKRouting}) picks the top-k
 * experts of every row (on the host), each expert runs SwiGLU on exactly the rows routed to it (a gather), and the weighted outputs
 * are gathered back per row and summed. Gradients flow through the gathers into the chosen experts, the
 * kept router probabilities and the inputs; the choice itself is not differentiable, as in Mixtral.
 */
final class SparseMoe {

    /** The block's output {@code [rows, hidden]} and its two router losses (scalars). */
    record Output(NDArray output, NDArray balanceLoss, NDArray routerZLoss) {}

    private SparseMoe() {}

    static Output forward(MixtralConfig config, int layer, Map<String, NDArray> parameters, NDArray x) {
        NDManager manager = x.getManager();
        int rows = Math.toIntExact(x.getShape().get(0));
        int experts = config.numLocalExperts();
        int k = config.numExpertsPerTok();
        NDArray routerLogits = x.matMul(TrainableMixtral.transposed(parameters.get(MixtralTensorLayout.gate(layer)), manager));
        NDArray probabilities = routerLogits.softmax(-1);
        RoutingDecision decision = new TopKRouting(k, config.normTopkProb())
                .route(hostCopy(routerLogits), rows, experts, RoutingContext.of(RoutingPhase.PREFILL));
        Dispatch dispatch = Dispatch.of(decision);

        NDArray kept = probabilities.mul(manager.create(dispatch.keptMask(), new Shape(rows, experts)));
        NDArray weights = config.normTopkProb() ? kept.div(kept.sum(new int[] {-1}, true)) : kept;
        NDArray flatWeights = weights.reshape(-1);

        NDList outputs = new NDList();
        for (int expert = 0; expert < experts; expert++) {
            int[] routed = dispatch.rowsOf(expert);
            if (routed.length == 0) {
                continue;
            }
            NDArray rowIds = manager.create(toLong(routed));
            NDArray weightIds = manager.create(weightIndices(routed, experts, expert));
            NDArray expertOutput = swiglu(parameters, layer, expert, x.get(rowIds));
            outputs.add(expertOutput.mul(flatWeights.get(weightIds).expandDims(1)));
        }
        // Row r's k outputs sit at dispatch.slots(r) in the expert-ordered concatenation.
        NDArray combined = NDArrays.concat(outputs, 0)
                .get(manager.create(dispatch.slotsByRow()))
                .reshape(rows, k, x.getShape().get(1))
                .sum(new int[] {1});

        NDArray fraction = manager.create(dispatch.fractionPerExpert());
        NDArray meanProbability = probabilities.mean(new int[] {0});
        NDArray balance = fraction.mul(meanProbability).sum().mul(experts);
        NDArray routerZ = routerLogits.exp().sum(new int[] {-1}).log().square().mean();
        return new Output(combined, balance, routerZ);
    }

    private static NDArray swiglu(Map<String, NDArray> parameters, int layer, int expert, NDArray x) {
        NDArray gate = x.matMul(TrainableMixtral.transposed(parameters.get(MixtralTensorLayout.expertW1(layer, expert)), x.getManager()));
        NDArray up = x.matMul(TrainableMixtral.transposed(parameters.get(MixtralTensorLayout.expertW3(layer, expert)), x.getManager()));
        NDArray activated = gate.mul(gate.getNDArrayInternal().sigmoid()).mul(up);
        return activated.matMul(TrainableMixtral.transposed(parameters.get(MixtralTensorLayout.expertW2(layer, expert)), x.getManager()));
    }

    private static float[] hostCopy(NDArray logits) {
        if (logits.getDataType() == DataType.FLOAT32) {
            return logits.toFloatArray();
        }
        try (NDArray narrowed = logits.toType(DataType.FLOAT32, false)) {
            return narrowed.toFloatArray();
        }
    }

    private static long[] weightIndices(int[] rows, int experts, int expert) {
        long[] indices = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            indices[i] = (long) rows[i] * experts + expert;
        }
        return indices;
    }

    private static long[] toLong(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
