package dev.switchboard.tools.eval;

import dev.switchboard.runtime.DjlOffline;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;

/**
 * {@code java -jar switchboard.jar eval ...}: measures a model on a recipe's held-out split ({@link EvalSession}: the
 * corpus split and held-out windows that training itself uses). Prints a human-readable report, or exactly one JSON
 * object with {@code --json}, to stdout or to {@code --output}; progress goes to the log (stderr).
 */
public final class EvalCommand {

    private final PrintStream out;

    public EvalCommand(PrintStream out) {
        this.out = out;
    }

    public void run(EvalArguments arguments) {
        DjlOffline.enforce();
        String report = render(evaluate(arguments), arguments.json());
        if (arguments.output() == null) {
            out.println(report);
            return;
        }
        try {
            Files.writeString(arguments.output(), report + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(arguments.output() + ": cannot write the report", e);
        }
        out.println("wrote " + arguments.output().toAbsolutePath());
    }

    static EvalReport evaluate(EvalArguments arguments) {
        try (EvalSession session = EvalSession.open(arguments.model(), arguments.recipe(), arguments.windows())) {
            return session.evaluate(arguments.topTokens());
        }
    }

    static String render(EvalReport report, boolean json) {
        return json ? EvalJson.render(report, Instant.now()) : EvalText.render(report);
    }
}
