package dev.switchboard.runtime.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import dev.switchboard.runtime.routing.RoutedLoss;
import dev.switchboard.runtime.routing.RoutingDecision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Router calibration by gradient for one expert, typically one just contributed: with every other parameter frozen,
 * row {@code expert} of every layer's router ({@code block_sparse_moe.gate.weight}, or the row of an expert added with
 * {@link TrainableMixtral#addExpert}) is fitted to lower the next-token
 * cross-entropy on calibration windows (Adam on those rows only, computed on the host in double). The gradient
 * reaches a row only through the tokens whose top-k already holds the expert (top-k selection is not
 * differentiable, and with renormalised weights an unchosen expert's logit cancels out), so the start matters: the
 * lifecycle's mean-input row, which wins a few places by construction, is a good one. A step costs one forward and
 * one backward of the model (20 steps of 4 × 128 tokens: 3–7 s on the default model, one thread).
 *
 * <p>The objective is the loss, not traffic: the expert's share of the places grows only where routing to it lowers
 * the loss. On a model that predicts the calibration text without its experts (the small test model) the fit lowers
 * the loss and may well give the expert less traffic.
 */
public final class RouterCalibration {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    /**
     * @param steps Adam steps
     * @param learningRate Adam step size on the rows
     * @param batchSize calibration windows per step
     * @param seed draws the calibration windows
     */
    public record Options(int steps, float learningRate, int batchSize, long seed) {

        public Options {
            if (steps < 1 || batchSize < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("steps and batch size must be positive and the learning rate above 0");
            }
        }
    }

    /** One domain before and after the fit. */
    public record DomainChange(String domain, RoutedLoss before, RoutedLoss after) {}

    /** What a fit changed, per measured domain, and what it cost. */
    public record Result(int expert, int steps, double seconds, List<DomainChange> domains) {}

    private RouterCalibration() {}

    /**
     * Fits the router rows of {@code expert} on windows of {@code calibration} and measures every domain of
     * {@code measured} before and after. Only those rows of {@code model} change.
     */
    public static Result calibrate(TrainableMixtral model, int expert, TokenWindows calibration,
            Map<String, TokenWindows.Batch> measured, Options options) {
        int experts = model.experts();
        if (expert < 0 || expert >= experts) {
            throw new IllegalArgumentException("expert " + expert + " does not exist: the model has experts 0.." + (experts - 1));
        }
        Map<String, RoutedLoss> before = measure(model, expert, measured);
        long started = System.nanoTime();
        fit(model, expert, calibration, options);
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, RoutedLoss> after = measure(model, expert, measured);
        List<DomainChange> changes = new ArrayList<>();
        before.forEach((domain, measure) -> changes.add(new DomainChange(domain, measure, after.get(domain))));
        return new Result(expert, options.steps(), seconds, List.copyOf(changes));
    }

    /** Cross-entropy and the expert's share of the top-k places on each domain's windows; nothing is recorded. */
    public static Map<String, RoutedLoss> measure(TrainableMixtral model, int expert, Map<String, TokenWindows.Batch> domains) {
        NDManager root = model.parameters().values().iterator().next().getManager();
        Map<String, RoutedLoss> measures = new LinkedHashMap<>();
        for (Map.Entry<String, TokenWindows.Batch> domain : domains.entrySet()) {
            try (NDManager step = root.newSubManager()) {
                TrainableMixtral.Loss loss = model.loss(step, domain.getValue().inputs(), domain.getValue().targets(), 0f, 0f);
                measures.put(domain.getKey(), new RoutedLoss(loss.crossEntropy().getFloat(), share(loss.decisions(), expert)));
            }
        }
        return measures;
    }

    private static double share(List<RoutingDecision> layers, int expert) {
        double sum = 0;
        for (RoutingDecision decision : layers) {
            int[] chosen = decision.experts();
            int mine = 0;
            for (int e : chosen) {
                mine += e == expert ? 1 : 0;
            }
            sum += chosen.length == 0 ? 0 : mine / (double) chosen.length;
        }
        return sum / layers.size();
    }

    private static void fit(TrainableMixtral model, int expert, TokenWindows calibration, Options options) {
        int layers = model.config().numHiddenLayers();
        int hidden = model.config().hiddenSize();
        List<TrainableMixtral.RouterRow> rows = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            rows.add(model.routerRow(l, expert));
        }
        // Every parameter records gradients, but only the expert's rows are written. The others are not frozen with
        // setRequiresGradient(false): a run that did so corrupted the native heap ("corrupted double-linked list") on
        // the default model, while rows were still written with set(Buffer), which swaps a Java buffer in as the
        // storage (CONTRIBUTING); which of the two did it is not isolated, so neither is used.
        try {
            double[][] mean = new double[layers][hidden];
            double[][] variance = new double[layers][hidden];
            SplittableRandom random = new SplittableRandom(options.seed());
            NDManager root = rows.get(0).tensor().getManager();
            for (int step = 1; step <= options.steps(); step++) {
                TokenWindows.Batch batch = calibration.sample(options.batchSize(), random);
                try (NDManager scope = root.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(model.loss(scope, batch.inputs(), batch.targets(), 0f, 0f).crossEntropy());
                }
                double correction1 = 1 - Math.pow(BETA1, step);
                double correction2 = 1 - Math.pow(BETA2, step);
                for (int l = 0; l < layers; l++) {
                    NDArray gate = rows.get(l).tensor();
                    int at = rows.get(l).row();
                    float[] gradient;
                    try (NDArray g = gate.getGradient()) {
                        gradient = g.toFloatArray();
                        g.set(new NDIndex("..."), 0); // in place: the next step's backward adds to it
                    }
                    float[] row = new float[hidden];
                    try (NDArray current = gate.get(at)) {
                        System.arraycopy(current.toFloatArray(), 0, row, 0, hidden);
                    }
                    for (int c = 0; c < hidden; c++) {
                        double g = gradient[at * hidden + c];
                        if (!Double.isFinite(g)) {
                            throw new IllegalStateException("calibration step " + step + ": the gradient of layer " + l
                                    + "'s router row is not finite");
                        }
                        mean[l][c] = BETA1 * mean[l][c] + (1 - BETA1) * g;
                        variance[l][c] = BETA2 * variance[l][c] + (1 - BETA2) * g * g;
                        double update = options.learningRate() * (mean[l][c] / correction1)
                                / (Math.sqrt(variance[l][c] / correction2) + EPSILON);
                        row[c] = (float) (row[c] - update);
                    }
                    // Copied into the gate's own storage, that row only. Never gate.set(Buffer): for PyTorch that
                    // swaps a Java buffer in as the storage, which a later garbage collection frees (CONTRIBUTING).
                    // Through a detached handle of the same storage: on a thread where PyTorch's grad mode is on (its
                    // default on every thread but the one that loaded the engine, e.g. a server's worker), an in-place
                    // write into a leaf that requires grad is refused ("a view of a leaf Variable that requires grad").
                    try (NDArray values = root.create(row); NDArray storage = gate.stopGradient()) {
                        storage.set(new NDIndex(at), values);
                    }
                }
            }
        } finally {
            // The frozen parameters' gradients piled up unused; leave none for whatever trains next.
            model.gradientHolders().forEach(Trainer::clearGradient);
        }
    }
}
