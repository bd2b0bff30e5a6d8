package dev.switchboard.app.loadgen;

import dev.switchboard.app.cli.CliUsageException;
import dev.switchboard.app.cli.Flags;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code loadgen --url URL [--api-key K] [--concurrency 1,4,16,32] [--requests N] [--max-tokens T]
 * [--prompt-tokens P] [--model ID] [--warmup W] [--rounds R] [--baseline yes|no]}.
 *
 * @param apiKey sent as {@code Authorization: Bearer}; null sends none
 * @param model the {@code model} field; null asks the server's {@code /v1/models} for the first one
 * @param requests requests per concurrency level (the same requests at every level)
 * @param warmup requests sent one at a time before measuring, so the server's JIT has compiled its paths
 * @param baseline whether to measure the requests one at a time first (no: only the named levels, e.g. to
 *     read the server's own step metrics for one level alone)
 * @param rounds how often every level (the baseline included) is measured, interleaved, to see through noise
 */
record LoadgenArguments(URI url, @Nullable String apiKey, int[] concurrency, int requests, int maxTokens, int promptTokens,
        @Nullable String model, int warmup, int rounds, boolean baseline) {

    static final String USAGE = "usage: loadgen --url http://127.0.0.1:8080 [--api-key K] [--concurrency 1,4,16,32]"
            + " [--requests 64] [--max-tokens 64] [--prompt-tokens 32] [--model ID] [--warmup 4] [--rounds 1] [--baseline yes]";

    LoadgenArguments {
        if (url == null) throw new CliUsageException("--url is required");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new CliUsageException("--url must be http:// or https://, got " + url);
        }
        if (concurrency.length == 0 || Arrays.stream(concurrency).anyMatch(c -> c < 1)) {
            throw new CliUsageException("--concurrency needs positive levels, got " + Arrays.toString(concurrency));
        }
        if (requests < 1 || maxTokens < 1 || promptTokens < 1 || warmup < 0 || rounds < 1) {
            throw new CliUsageException("--requests, --max-tokens, --prompt-tokens and --rounds must be >= 1 and --warmup >= 0");
        }
    }

    static LoadgenArguments parse(List<String> args) {
        Flags flags = Flags.parse(args, Set.of("--url", "--api-key", "--concurrency", "--requests", "--max-tokens",
                "--prompt-tokens", "--model", "--warmup", "--rounds", "--baseline"));
        String url = flags.text("--url");
        return new LoadgenArguments(url == null ? null : url(url), flags.text("--api-key"),
                flags.integers("--concurrency", new int[] {1, 4, 16, 32}), flags.integer("--requests", 64),
                flags.integer("--max-tokens", 64), flags.integer("--prompt-tokens", 32), flags.text("--model"),
                flags.integer("--warmup", 4), flags.integer("--rounds", 1), flags.yesNo("--baseline", true));
    }

    private static URI url(String value) {
        try {
            return URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (IllegalArgumentException e) {
            throw new CliUsageException("--url is not a valid URL: " + e.getMessage());
        }
    }
}
