package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.runtime.routing.RoutingContext;
import dev.switchboard.runtime.routing.RoutingDecision;
import dev.switchboard.runtime.routing.RoutingPhase;
import dev.switchboard.runtime.routing.RoutingStrategy;
import dev.switchboard.spi.Expert;

/**
 * The sparse mixture-of-experts feed-forward layer (Shazeer et al. 2017; Mixtral, arXiv:2401.04088 eq. 1;
 * mistral-inference {@code moe.py}): {@code y = Σ_e G(x)_e · E_e(x)} over the experts the router chose.
 * Each expert runs once, on exactly the tokens routed to it; the FFN maths lives in the experts.
 */
final class MoeLayer {

    private final int index;
    private final RoutingStrategy routing;

    MoeLayer(int index, RoutingStrategy routing) {
        this.index = index;
        this.routing = routing;
    }

    /** {@code hidden (tokens, hidden)} -> weighted expert outputs {@code (tokens, hidden)} and the routing. */
    MoeOutput forward(NDArray hidden, LayerExperts layer, RoutingPhase phase, ExpertFaultHandler faults) {
        int tokens = Math.toIntExact(hidden.getShape().get(0));
        float[] gateLogits = gateLogits(hidden, layer); // (tokens, numExperts), h·Wgᵀ
        retry:
        while (true) {
            RoutingContext context = new RoutingContext(layer.disabled(), layer.selectionBias(), phase);
            RoutingDecision decision = routing.route(gateLogits, tokens, layer.size(), context);
            ExpertGroups groups = ExpertGroups.of(decision);
            NDArray output = hidden.zerosLike(); // (tokens, hidden)
            for (int e = 0; e < layer.size(); e++) {
                if (groups.count(e) == 0) {
                    continue; // an expert no token chose is not run
                }
                NDArray rows = gatherRows(hidden, groups, e); // (n_e, hidden): only the tokens routed to e
                NDArray expertOutput; // (n_e, hidden)
                try {
                    expertOutput = runExpert(layer.expert(e), e, rows);
                } catch (ExpertFailure failure) {
                    layer = faults.disable(failure.fault, layer);
                    continue retry; // re-route this layer's tokens without the failed expert
                }
                NDArray routingWeights = column(rows, groups.weights(e)); // (n_e, 1): G(x)_e per token
                NDArray weighted = expertOutput.muli(routingWeights); // (n_e, hidden): G(x)_e · E_e(x)
                scatterAdd(output, groups, e, weighted); // output[tokens of e] += weighted
            }
            return new MoeOutput(output, decision, gateLogits);
        }
    }

    /** Router logits copied to the JVM once: {@code (tokens, numExperts)} row-major float32. */
    private static float[] gateLogits(NDArray hidden, LayerExperts layer) {
        NDArray logits = hidden.getNDArrayInternal().linear(hidden, layer.gate(), null).singletonOrThrow();
        if (logits.getDataType() != DataType.FLOAT32) {
            logits = logits.toType(DataType.FLOAT32, false); // the router runs in float32 (Switch "selective precision")
        }
        return logits.toFloatArray();
    }

    private static NDArray gatherRows(NDArray hidden, ExpertGroups groups, int e) {
        int total = Math.toIntExact(hidden.getShape().get(0));
        if (groups.coversAll(e, total)) {
            return hidden;
        }
        NDArray index = hidden.getManager().create(groups.tokens(e)); // (n_e)
        return hidden.get(new NDIndex("{}", index)); // (n_e, hidden)
    }

    private static void scatterAdd(NDArray output, ExpertGroups groups, int e, NDArray weighted) {
        int total = Math.toIntExact(output.getShape().get(0));
        if (groups.coversAll(e, total)) {
            output.addi(weighted);
            return;
        }
        // An expert lists each token at most once, so a gather-add-put is an index_add here.
        NDIndex rows = new NDIndex("{}", output.getManager().create(groups.tokens(e)));
        output.set(rows, output.get(rows).addi(weighted));
    }

    private static NDArray column(NDArray like, float[] values) {
        NDArray column = like.getManager().create(values, new Shape(values.length, 1));
        return like.getDataType() == DataType.FLOAT32 ? column : column.toType(like.getDataType(), false);
    }

    /** Runs one expert, turning a throw or a broken output contract into an {@link ExpertFailure}. */
    private NDArray runExpert(Expert expert, int e, NDArray rows) {
        NDArray out;
        try {
            out = expert.forward(rows);
        } catch (RuntimeException | LinkageError failure) {
            throw new ExpertFailure(new ExpertFault(index, e, "forward threw " + failure, failure));
        }
        if (out == null || !out.getShape().equals(rows.getShape()) || out.getDataType() != rows.getDataType()) {
            String found = out == null ? "null" : out.getShape() + " " + out.getDataType();
            throw new ExpertFailure(new ExpertFault(index, e, "forward returned " + found + " for input "
                    + rows.getShape() + " " + rows.getDataType() + " (expected the input's shape and type)", null));
        }
        return out;
    }

    /** Carries a fault from {@link #runExpert} to the retry loop. */
    private static final class ExpertFailure extends RuntimeException {
        private final transient ExpertFault fault;

        ExpertFailure(ExpertFault fault) {
            super(fault.reason(), null, false, false);
            this.fault = fault;
        }
    }
}
