package dev.switchboard.tools.eval;

import dev.switchboard.runtime.model.ForwardOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.model.SequenceState;
import dev.switchboard.runtime.model.StepInput;
import dev.switchboard.runtime.model.StepResult;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import dev.switchboard.runtime.training.HeldOutSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the served model ({@link MoeModel}, so any Mixtral-format folder and its routing) over held-out windows:
 * each window is one fresh sequence prefilled at once, with the logits of every position and the routing trace.
 * Cross-entropy is computed on the host in double from the float32 logits.
 */
final class HeldOutEvaluator {

    private static final ForwardOptions EVERY_POSITION = new ForwardOptions(true, false, true);

    private final MoeModel model;
    private final MoeTokenizer tokenizer;

    HeldOutEvaluator(MoeModel model, MoeTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    EvalReport evaluate(List<HeldOutSet.Domain> domains, String modelName, String recipeName, int window,
            int windowsPerDomain, int topTokens) {
        int layers = model.config().numHiddenLayers();
        int experts = model.config().numLocalExperts();
        if (window > model.config().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("the recipe's window of " + window + " tokens is longer than the model's "
                    + model.config().maxPositionEmbeddings() + " positions");
        }
        RoutingTally all = new RoutingTally(layers, experts);
        List<EvalReport.DomainResult> results = new ArrayList<>();
        for (HeldOutSet.Domain domain : domains) {
            RoutingTally tally = new RoutingTally(layers, experts);
            double nats = 0;
            long positions = 0;
            int[][] inputs = domain.windows().inputs();
            int[][] targets = domain.windows().targets();
            for (int row = 0; row < inputs.length; row++) {
                StepResult step;
                try (SequenceState sequence = model.newSequence()) {
                    step = model.forward(List.of(new StepInput(sequence, inputs[row])), EVERY_POSITION);
                }
                float[][] logits = step.logits()[0];
                for (int position = 0; position < targets[row].length; position++) {
                    nats += crossEntropy(logits[position], targets[row][position]);
                }
                positions += targets[row].length;
                tally.add(step.inputStats().get(0), step.trace().get(0), tokenizer::tokenText);
                all.add(step.inputStats().get(0), step.trace().get(0), tokenizer::tokenText);
            }
            results.add(new EvalReport.DomainResult(new DomainLoss(domain.name(), inputs.length, nats, positions,
                    domain.predictedTokens(), domain.bytes()), tally.report(0)));
        }
        return new EvalReport(modelName, recipeName, window, windowsPerDomain, Math.log(model.config().vocabSize()),
                results, all.report(topTokens));
    }

    /** −log softmax(logits)[target], computed stably in double. */
    static double crossEntropy(float[] logits, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v);
        double sum = 0;
        for (float v : logits) sum += Math.exp(v - max);
        return max + Math.log(sum) - logits[target];
    }
}
