package dev.switchboard.tools.generate;

import dev.switchboard.runtime.generation.GeneratedToken;
import dev.switchboard.runtime.generation.GenerationResult;
import dev.switchboard.runtime.routing.LayerChoice;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The default output of {@code generate}: the text as it streams, or with {@code --trace} one line per
 * token with its experts per layer ({@code L0 3:0.61 1:0.39 | L1 ...}).
 */
final class HumanReadableRun {

    private final PrintStream out;
    private final MoeTokenizer tokenizer;
    private final boolean trace;

    HumanReadableRun(PrintStream out, MoeTokenizer tokenizer, boolean trace) {
        this.out = out;
        this.tokenizer = tokenizer;
        this.trace = trace;
    }

    void header(int[] promptIds) {
        if (trace) {
            out.printf("%-6s %-16s %s%n", "step", "token", "experts:weight per layer");
        } else {
            out.print(tokenizer.decode(promptIds));
        }
        out.flush();
    }

    void onToken(GeneratedToken token) {
        if (!trace) {
            out.print(token.text());
            out.flush();
            return;
        }
        StringBuilder line = new StringBuilder();
        for (LayerChoice choice : token.routing().layers()) {
            line.append(line.length() == 0 ? "" : " | ").append('L').append(choice.layer());
            for (int i = 0; i < choice.experts().length; i++) {
                line.append(String.format(Locale.ROOT, " %d:%.2f", choice.experts()[i], choice.weights()[i]));
            }
        }
        out.printf("%-6d %-16s %s%n", token.index(), quoted(tokenizer.tokenText(token.tokenId())), line);
    }

    void footer(GenerationResult result) {
        out.printf("%n[%d tokens, %s, %.1f tokens/s]%n", result.generatedIds().length,
                result.finishReason().name().toLowerCase(Locale.ROOT), result.decodeTokensPerSecond());
    }

    private static String quoted(String piece) {
        return '"' + piece.replace("\n", "\\n") + '"';
    }
}
