package dev.switchboard.runtime.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import dev.switchboard.runtime.checkpoint.TensorDtype;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a {@link TrainableMixtral} with AdamW ({@link AdamW}) on windows from {@link TokenWindows}: one forward and backward
 * per step inside its own {@link NDManager} (so every intermediate array is freed at once), then one update
 * per parameter. Held-out loss is measured on a fixed set of batches every {@code evaluateEvery} steps.
 */
public final class Trainer {

    /** What a step reports: losses of the step's batch, the learning rate and throughput so far. */
    public record StepReport(int step, int steps, float loss, float crossEntropy, float balance, float routerZ,
            float learningRate, double tokensPerSecond, double elapsedSeconds) {}

    /** Mean next-token cross-entropy (nats) over the held-out batches. */
    public record Evaluation(int step, double crossEntropy) {}

    /** What a run measured: the held-out evaluations (the last after the final step) and the steps not applied. */
    public record Outcome(List<Evaluation> evaluations, int skippedSteps) {

        public Evaluation last() {
            return evaluations.get(evaluations.size() - 1);
        }
    }

    /** Receives progress; called on the training thread. */
    public interface Listener {
        void onStep(StepReport report);

        void onEvaluation(Evaluation evaluation);

        /** A step whose loss or gradients were not finite was not applied. */
        void onSkippedStep(int step, String reason);

        /**
         * How every MoE layer routed step {@code step}'s batch, in layer order; called after every step, before
         * {@link #onStep}. Most listeners ignore it; experiments chart balance and drops from it.
         */
        default void onRouting(int step, List<RoutingLoad> layers) {}
    }

    /** Global gradient-norm limit: larger gradients are scaled down to this norm before the update. */
    private static final double MAX_GRADIENT_NORM = 1.0;

    private final TrainingOptions options;
    private final Listener listener;
    private final int evaluateEvery;
    private final int reportEvery;

    public Trainer(TrainingOptions options, Listener listener, int evaluateEvery, int reportEvery) {
        this.options = options;
        this.listener = listener;
        this.evaluateEvery = evaluateEvery;
        this.reportEvery = reportEvery;
    }

    /** Runs every step. */
    public Outcome train(TrainableMixtral model, TokenWindows training, List<TokenWindows.Batch> heldOut) {
        return train(model, training, heldOut, null, options.steps(), null);
    }

    /**
     * Runs the steps after those of the state saved in {@code resume} (from the first when it is null) up to
     * {@code stopAfter}; {@code model} must then hold that state's weights ({@link TrainingState#weights}). With a
     * {@code stateDirectory}, saves the state there ({@link TrainingState}) after every held-out evaluation and after
     * the last step run, so a run stopped or killed resumes from there. Resuming continues exactly: the optimiser's
     * moments and update count come back, and the window sampler is reseeded and replayed past the windows drawn.
     */
    public Outcome train(TrainableMixtral model, TokenWindows training, List<TokenWindows.Batch> heldOut,
            Path resume, int stopAfter, Path stateDirectory) {
        AdamW optimizer = new AdamW(options);
        TrainingState state = TrainingState.start(options);
        if (resume != null) {
            state = TrainingState.read(resume);
            state.requireMatches(options);
            optimizer.restore(resume, model.parameters(), state.updates());
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        for (int done = 0; done < state.step(); done++) {
            training.sample(options.batchSize(), random); // the data position: the windows the saved steps drew
        }
        NDManager root = model.parameters().values().iterator().next().getManager();
        List<Evaluation> evaluations = new ArrayList<>(state.evaluations());
        long started = System.nanoTime();
        long tokens = 0;
        int skipped = state.skippedSteps();
        int first = state.step() + 1;
        int last = Math.min(stopAfter, options.steps());
        boolean saved = true;
        for (int step = first; step <= last; step++) {
            TokenWindows.Batch batch = training.sample(options.batchSize(), random);
            float[] losses;
            List<RoutingLoad> routing;
            try (NDManager stepManager = root.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                // No collector.zeroGradients(): every step ends with zero gradients (the update zeroes those it
                // applies, a skipped step writes zeros), and DJL's version walks every array of the JVM, leaking
                // two gradient handles per parameter and step into the model's manager.
                TrainableMixtral.Loss loss = model.loss(stepManager, batch.inputs(), batch.targets(),
                        options.balanceWeight(), options.zWeight());
                collector.backward(loss.total());
                losses = new float[] {loss.total().getFloat(), loss.crossEntropy().getFloat(),
                        loss.balance().getFloat(), loss.routerZ().getFloat()};
                routing = RoutingLoad.of(loss.decisions());
            }
            String problem = applyUpdate(model, optimizer, losses[0]);
            if (problem != null) {
                skipped++;
                listener.onSkippedStep(step, problem);
            }
            saved = false;
            listener.onRouting(step, routing);
            tokens += (long) options.batchSize() * options.window();
            double elapsed = (System.nanoTime() - started) / 1e9;
            if (step % reportEvery == 0 || step == first || step == options.steps()) {
                listener.onStep(new StepReport(step, options.steps(), losses[0], losses[1], losses[2], losses[3],
                        options.learningRateAt(step), tokens / elapsed, elapsed));
            }
            if (step % evaluateEvery == 0 || step == options.steps()) {
                Evaluation evaluation = new Evaluation(step, evaluate(model, heldOut));
                evaluations.add(evaluation);
                listener.onEvaluation(evaluation);
                if (stateDirectory != null) {
                    save(model, optimizer, step, skipped, evaluations, stateDirectory);
                    saved = true;
                }
            }
        }
        if (stateDirectory != null && !saved) {
            save(model, optimizer, last, skipped, evaluations, stateDirectory);
        }
        return new Outcome(List.copyOf(evaluations), skipped);
    }

    private void save(TrainableMixtral model, AdamW optimizer, int step, int skipped, List<Evaluation> evaluations,
            Path directory) {
        Path weights = TrainingState.weights(directory);
        TrainingState.createDirectories(weights);
        model.save(weights, TensorDtype.F32); // float32: a resumed run continues from the exact weights
        optimizer.save(directory, model.config());
        new TrainingState(step, optimizer.updates(), skipped, List.copyOf(evaluations), options.steps(), options.seed())
                .write(directory);
    }

    /**
     * Clips the gradients to {@link #MAX_GRADIENT_NORM} (one global norm) and updates every parameter; returns
     * why the step was skipped instead, when the loss or a gradient is not finite.
     */
    private static String applyUpdate(TrainableMixtral model, AdamW optimizer, float loss) {
        double squares = 0;
        List<String> notFinite = new ArrayList<>();
        // getGradient() returns a new handle each call; close every handle and temporary made here.
        for (Map.Entry<String, NDArray> parameter : model.parameters().entrySet()) {
            try (NDArray gradient = parameter.getValue().getGradient();
                    NDArray square = gradient.square();
                    NDArray sum = square.sum()) {
                double value = sum.getFloat();
                if (Double.isFinite(value)) {
                    squares += value;
                } else {
                    notFinite.add(parameter.getKey());
                }
            }
        }
        if (!Float.isFinite(loss) || !notFinite.isEmpty()) {
            // The optimiser zeroes gradients as it applies them; a skipped step must do it itself.
            model.parameters().values().forEach(Trainer::clearGradient);
            return !Float.isFinite(loss) ? "loss is " + loss
                    : notFinite.size() + " gradients are not finite, first " + notFinite.get(0)
                            + (notFinite.size() > 1 ? ", last " + notFinite.get(notFinite.size() - 1) : "");
        }
        double norm = Math.sqrt(squares);
        float scale = norm > MAX_GRADIENT_NORM ? (float) (MAX_GRADIENT_NORM / norm) : 1f;
        optimizer.beginStep();
        for (Map.Entry<String, NDArray> parameter : model.parameters().entrySet()) {
            try (NDArray gradient = parameter.getValue().getGradient()) {
                if (scale != 1f) {
                    gradient.muli(scale);
                }
                optimizer.update(parameter.getKey(), parameter.getValue(), gradient);
            }
        }
        return null;
    }

    /**
     * Writes zeros into {@code parameter}'s gradient, in place. A write, since the collector's own zeroing subtracts
     * the gradient from itself (inf - inf = NaN); and in place, never {@code NDArray.set(Buffer)}: for PyTorch that
     * swaps the gradient's storage for the Java buffer, which is freed with the closed handle's buffer at some later
     * garbage collection while the parameter keeps accumulating into it (a use after free that corrupted the native
     * heap: garbage in later computations, or a crash in malloc).
     */
    static void clearGradient(NDArray parameter) {
        try (NDArray gradient = parameter.getGradient()) {
            gradient.set(new NDIndex("..."), 0);
        }
    }

    /** Mean cross-entropy over {@code batches}, without recording gradients. */
    public static double evaluate(TrainableMixtral model, List<TokenWindows.Batch> batches) {
        NDManager root = model.parameters().values().iterator().next().getManager();
        double sum = 0;
        for (TokenWindows.Batch batch : batches) {
            try (NDManager manager = root.newSubManager()) {
                sum += model.loss(manager, batch.inputs(), batch.targets(), 0f, 0f).crossEntropy().getFloat();
            }
        }
        return sum / batches.size();
    }
}
