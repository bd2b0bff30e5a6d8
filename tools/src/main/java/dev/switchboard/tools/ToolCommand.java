package dev.switchboard.tools;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every tool's command line shares: picocli fills the subclass's {@code @Option} fields, {@link #check}
 * rejects values that the option types cannot express, and {@link #run} does the work, writing to {@link #out}.
 */
public abstract class ToolCommand implements Callable<Integer> {

    /** Where the tool's output goes (stdout when run from the jar). */
    protected final PrintStream out;

    @Spec
    private CommandSpec spec;

    protected ToolCommand(PrintStream out) {
        this.out = out;
    }

    /** Checks the options together; a failed {@link #require} ends the run as a command-line mistake. */
    protected abstract void check();

    /** Does the tool's work; an exception ends the run with exit status 1 and its message. */
    protected abstract void run();

    @Override
    public final Integer call() {
        check();
        run();
        return 0;
    }

    /** A command-line mistake unless {@code holds}: {@code message} and the usage line on stderr, exit status 2. */
    protected final void require(boolean holds, String message) {
        if (!holds) throw new ParameterException(spec.commandLine(), message);
    }
}
