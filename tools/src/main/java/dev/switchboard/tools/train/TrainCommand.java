package dev.switchboard.tools.train;

import dev.switchboard.runtime.DjlOffline;
import dev.switchboard.runtime.training.Trainer;
import dev.switchboard.runtime.training.TrainingOptions;
import dev.switchboard.runtime.training.TrainingRecipe;
import dev.switchboard.runtime.training.TrainingRun;
import java.io.PrintStream;

/** {@code java -jar switchboard.jar train ...}: trains a model from a recipe, printing progress as it goes. */
public final class TrainCommand {

    private final PrintStream out;

    public TrainCommand(PrintStream out) {
        this.out = out;
    }

    public void run(TrainArguments arguments) {
        DjlOffline.enforce();
        TrainingRecipe recipe = TrainingRecipe.read(arguments.recipe());
        if (arguments.steps() != null) {
            TrainingOptions o = recipe.options();
            recipe = recipe.withOptions(new TrainingOptions(arguments.steps(), o.batchSize(), o.window(), o.learningRate(),
                    Math.min(o.warmupSteps(), arguments.steps() / 10), o.weightDecay(), o.balanceWeight(), o.zWeight(), o.seed()));
        }
        TrainingRun.Resumption resumption = new TrainingRun.Resumption(arguments.resume(),
                arguments.stopAfter() == null ? Integer.MAX_VALUE : arguments.stopAfter(), arguments.stateDirectory());
        TrainingRun.Result result;
        // A progress bar only on a terminal (System.console() is null when stdout or stdin is redirected): logs and
        // pipes get one plain line per report.
        if (System.console() != null) {
            try (TerminalProgress progress = new TerminalProgress(out)) {
                result = TrainingRun.run(recipe, arguments.out(), progress, resumption);
            }
        } else {
            result = TrainingRun.run(recipe, arguments.out(), new ProgressPrinter(out), resumption);
        }
        if (result == null) {
            out.println("continue with: train --recipe " + arguments.recipe() + " --out " + arguments.out()
                    + (arguments.steps() == null ? "" : " --steps " + arguments.steps()) + " --resume " + arguments.stateDirectory());
            return;
        }
        out.printf("done: %,d parameters, %d steps (%d skipped), %,d tokens in %.0f s; held-out loss %.3f nats/token "
                        + "(a model that knows nothing: %.3f)%n", result.parameters(), result.steps(), result.skippedSteps(),
                result.trainingTokens(), result.seconds(), result.heldOutLoss(), result.uniformLoss());
        result.heldOutLossByDomain().forEach((domain, loss) -> out.printf("  %-12s %.3f%n", domain, loss));
        out.println("wrote " + arguments.out().toAbsolutePath());
    }

    /** One line per report: the step, its losses, the learning rate, throughput and time left. */
    private record ProgressPrinter(PrintStream out) implements TrainingRun.Progress {

        @Override
        public void onPhase(String message) {
            out.println(message);
        }

        @Override
        public void onStep(Trainer.StepReport r) {
            double left = r.elapsedSeconds() / r.step() * (r.steps() - r.step());
            out.printf("step %d/%d  loss %.3f (cross-entropy %.3f, balance %.3f, z %.3f)  lr %.2e  %,.0f tokens/s  %s left%n",
                    r.step(), r.steps(), r.loss(), r.crossEntropy(), r.balance(), r.routerZ(), r.learningRate(),
                    r.tokensPerSecond(), duration(left));
        }

        @Override
        public void onEvaluation(Trainer.Evaluation evaluation) {
            out.printf("step %d: held-out loss %.3f%n", evaluation.step(), evaluation.crossEntropy());
        }

        @Override
        public void onSkippedStep(int step, String reason) {
            out.printf("step %d skipped: %s%n", step, reason);
        }

        private static String duration(double seconds) {
            long s = Math.round(seconds);
            return s >= 60 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s" : s + "s";
        }
    }
}
