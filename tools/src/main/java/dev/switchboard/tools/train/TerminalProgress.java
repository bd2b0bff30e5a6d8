package dev.switchboard.tools.train;

import dev.switchboard.runtime.training.Trainer;
import dev.switchboard.runtime.training.TrainingRun;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress on a terminal: one progress bar over the steps with speed and ETA (me.tongfei:progressbar),
 * the step's losses as its message; phases, held-out evaluations and skipped steps as lines above it. The bar
 * starts at the first step this run makes, so a resumed run's ETA counts only its own steps.
 */
final class TerminalProgress implements TrainingRun.Progress, AutoCloseable {

    private final PrintStream out;
    private ProgressBar bar;

    TerminalProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onPhase(String message) {
        line(message);
    }

    @Override
    public void onStep(Trainer.StepReport r) {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(r.steps()).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(out)).setUnit(" steps", 1).showSpeed()
                    .startsFrom(r.step() - 1, Duration.ZERO).build();
        }
        bar.stepTo(r.step());
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.3f (ce %.3f) ", r.loss(), r.crossEntropy()));
    }

    @Override
    public void onEvaluation(Trainer.Evaluation evaluation) {
        line(String.format(Locale.ROOT, "step %d: held-out loss %.3f", evaluation.step(), evaluation.crossEntropy()));
    }

    @Override
    public void onSkippedStep(int step, String reason) {
        line("step " + step + " skipped: " + reason);
    }

    /** A line above the bar: clear the bar's line first (it is redrawn on its next refresh). */
    private void line(String message) {
        if (bar != null) {
            out.print("\r\u001b[2K");
        }
        out.println(message);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
