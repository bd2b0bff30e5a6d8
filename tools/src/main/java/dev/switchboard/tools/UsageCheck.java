package dev.switchboard.tools;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of option values that picocli's types cannot express; a failed one is a command-line mistake (exit status 2). */
public final class UsageCheck {

    private UsageCheck() {}

    /** Throws a {@link ParameterException} with {@code message} unless {@code holds}. */
    public static void require(CommandSpec spec, boolean holds, String message) {
        if (!holds) throw new ParameterException(spec.commandLine(), message);
    }
}
