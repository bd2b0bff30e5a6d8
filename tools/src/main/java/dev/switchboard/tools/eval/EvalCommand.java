package dev.switchboard.tools.eval;

import dev.switchboard.runtime.DjlOffline;
import java.io.PrintStream;

/**
 * {@code java -jar switchboard.jar eval ...}: measures a model on a recipe's held-out split ({@link EvalSession}: the
 * corpus split and held-out windows that training itself uses). Prints a
 * human-readable report, or exactly one JSON object with {@code --json}; progress goes to the log (stderr).
 */
public final class EvalCommand {

    private final PrintStream out;

    public EvalCommand(PrintStream out) {
        this.out = out;
    }

    public void run(EvalArguments arguments) {
        DjlOffline.enforce();
        out.println(render(evaluate(arguments), arguments.json()));
    }

    static EvalReport evaluate(EvalArguments arguments) {
        try (EvalSession session = EvalSession.open(arguments.model(), arguments.recipe(), arguments.windows())) {
            return session.evaluate(arguments.topTokens());
        }
    }

    static String render(EvalReport report, boolean json) {
        return json ? EvalJson.render(report) : EvalText.render(report);
    }
}
