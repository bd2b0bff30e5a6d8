package dev.switchboard.runtime.serving;

import dev.switchboard.runtime.model.ForwardOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.model.SequenceState;
import dev.switchboard.runtime.model.StepInput;
import dev.switchboard.runtime.model.StepResult;
import dev.switchboard.runtime.routing.RoutingOverride;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.util.ArrayList;
import java.util.List;

/** {@link ServingEngine} over the runtime's {@link MoeModel}; owns the model and its tokenizer. */
final class MoeServingEngine implements ServingEngine {

    private final MoeModel model;
    private final MoeTokenizer tokenizer;

    MoeServingEngine(MoeModel model, MoeTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    @Override
    public EngineSequence newSequence() {
        return new Sequence(model.newSequence());
    }

    @Override
    public EngineSequence newSequence(RoutingOverride override) {
        return new Sequence(model.newSequence(override));
    }

    @Override
    public StepOutcome step(List<SequenceTokens> inputs, RoutingCapture capture) {
        List<StepInput> step = new ArrayList<>(inputs.size());
        for (SequenceTokens input : inputs) {
            step.add(new StepInput(((Sequence) input.sequence()).state, input.tokens()));
        }
        StepResult result = model.forward(step, options(capture));
        List<float[]> logits = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            logits.add(result.lastLogits(i));
        }
        return new StepOutcome(logits, capture == RoutingCapture.NONE ? null : result.trace(), result.inputStats());
    }

    private static ForwardOptions options(RoutingCapture capture) {
        return switch (capture) {
            case NONE -> ForwardOptions.DEFAULT;
            case SELECTED -> ForwardOptions.TRACE;
            case FULL -> new ForwardOptions(true, true, false);
        };
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }

    /** The runtime's per-sequence KV cache. */
    private record Sequence(SequenceState state) implements EngineSequence {

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
