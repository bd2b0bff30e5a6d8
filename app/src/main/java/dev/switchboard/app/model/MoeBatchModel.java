package dev.switchboard.app.model;

import dev.switchboard.runtime.model.ForwardOptions;
import dev.switchboard.runtime.model.LayerChoice;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.model.SequenceState;
import dev.switchboard.runtime.model.StepResult;
import dev.switchboard.runtime.model.TokenTrace;
import dev.switchboard.runtime.routing.RoutingOverride;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.util.ArrayList;
import java.util.List;

/** {@link BatchModel} over the runtime's {@link MoeModel}; owns the model and its tokenizer. */
final class MoeBatchModel implements BatchModel {

    private final MoeModel model;
    private final MoeTokenizer tokenizer;

    MoeBatchModel(MoeModel model, MoeTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    @Override
    public ModelSequence newSequence() {
        SequenceState state = model.newSequence();
        return new Sequence(state);
    }

    @Override
    public ModelSequence newSequence(RoutingOverride override) {
        return new Sequence(model.newSequence(override));
    }

    @Override
    public StepOutput forward(List<StepInput> inputs, RoutingCapture capture) {
        List<dev.switchboard.runtime.model.StepInput> step = new ArrayList<>(inputs.size());
        for (StepInput input : inputs) {
            step.add(new dev.switchboard.runtime.model.StepInput(((Sequence) input.sequence()).state, input.tokens()));
        }
        ForwardOptions options = new ForwardOptions(capture != RoutingCapture.NONE, capture == RoutingCapture.FULL, false);
        StepResult result = model.forward(step, options);
        List<float[]> logits = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            logits.add(result.lastLogits(i));
        }
        return new StepOutput(logits, capture == RoutingCapture.NONE ? null : routing(result.trace()), result.inputStats());
    }

    private static List<TokenRouting[]> routing(List<List<TokenTrace>> trace) {
        List<TokenRouting[]> perInput = new ArrayList<>(trace.size());
        for (List<TokenTrace> tokens : trace) {
            TokenRouting[] routing = new TokenRouting[tokens.size()];
            for (int t = 0; t < routing.length; t++) {
                List<LayerChoice> layers = tokens.get(t).layers();
                int[][] experts = new int[layers.size()][];
                float[][] weights = new float[layers.size()][];
                float[][] probabilities = layers.isEmpty() || layers.get(0).probabilities() == null ? null : new float[layers.size()][];
                for (int l = 0; l < layers.size(); l++) {
                    experts[l] = layers.get(l).experts();
                    weights[l] = layers.get(l).weights();
                    if (probabilities != null) {
                        probabilities[l] = layers.get(l).probabilities();
                    }
                }
                routing[t] = new TokenRouting(experts, weights, probabilities);
            }
            perInput.add(routing);
        }
        return perInput;
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }

    /** The runtime's per-sequence KV cache. */
    private record Sequence(SequenceState state) implements ModelSequence {

        @Override
        public int length() {
            return state.length();
        }

        @Override
        public void close() {
            state.close();
        }
    }
}
