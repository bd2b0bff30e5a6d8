package dev.switchboard.tools.loadgen;

import dev.switchboard.tools.ToolCommand;
import java.io.PrintStream;
import java.net.URI;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of {@code loadgen}: picocli fills the fields; {@link #check} checks them and {@link #run} runs
 * {@link LoadgenCommand}.
 */
@Command(name = "loadgen",
        description = "A bounded load generator for the serving benchmark: sends the same --requests streaming chat"
                + " completions at each concurrency level and prints per level the generated tokens/s, its ratio to one"
                + " request at a time, time to first token and inter-token latency percentiles, and errors, as Markdown.")
public final class LoadgenArguments extends ToolCommand {

    /** yes or no, as the option is written. */
    enum YesNo { yes, no }

    @Option(names = "--url", paramLabel = "URL", required = true, description = "The server, e.g. http://127.0.0.1:8080.")
    private URI url;

    @Option(names = "--api-key", paramLabel = "K", description = "Sent as Authorization: Bearer; none when left out.")
    private @Nullable String apiKey;

    @Option(names = "--concurrency", paramLabel = "N", split = "\\s*,\\s*", splitSynopsisLabel = ",", defaultValue = "1,4,16,32",
            description = "Concurrent streams per level; default ${DEFAULT-VALUE}.")
    private int[] concurrency;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "64",
            description = "Requests per level, the same at every level; default ${DEFAULT-VALUE}.")
    private int requests;

    @Option(names = "--max-tokens", paramLabel = "T", defaultValue = "64", description = "max_tokens of every request; default ${DEFAULT-VALUE}.")
    private int maxTokens;

    @Option(names = "--prompt-tokens", paramLabel = "P", defaultValue = "32",
            description = "About how many tokens each prompt has, chat template included; default ${DEFAULT-VALUE}.")
    private int promptTokens;

    @Option(names = "--model", paramLabel = "ID", description = "The model field; by default the first of the server's /v1/models.")
    private @Nullable String model;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "4",
            description = "Requests sent one at a time before measuring, so the server's JIT has compiled its paths; default ${DEFAULT-VALUE}.")
    private int warmup;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "1",
            description = "How often every level is measured, interleaved, to see through noise (the median is shown); default ${DEFAULT-VALUE}.")
    private int rounds;

    @Option(names = "--long-prompt-tokens", paramLabel = "L", defaultValue = "0",
            description = "When above 0: during every level, long prompts of about L tokens (max_tokens 1) are sent one at a"
                    + " time beside the streams, so the streams' inter-token latencies show what their prefill does to running"
                    + " streams; default ${DEFAULT-VALUE} (none).")
    private int longPromptTokens;

    @Option(names = "--long-prompt-pause-ms", paramLabel = "MS", defaultValue = "500",
            description = "The pause after each long prompt's answer before the next is sent; default ${DEFAULT-VALUE}.")
    private long longPromptPauseMillis;

    @Option(names = "--baseline", paramLabel = "yes|no", defaultValue = "yes",
            description = "Whether to measure the requests one at a time first, as the baseline of the ratios; default ${DEFAULT-VALUE}.")
    private YesNo baseline;

    public LoadgenArguments(PrintStream out) {
        super(out);
    }

    @Override
    protected void check() {
        require("http".equals(url.getScheme()) || "https".equals(url.getScheme()),
                "--url must be http:// or https://, got " + url);
        require(concurrency.length > 0 && Arrays.stream(concurrency).allMatch(c -> c >= 1),
                "--concurrency needs positive levels, got " + Arrays.toString(concurrency));
        require(requests >= 1 && maxTokens >= 1 && promptTokens >= 1 && warmup >= 0 && rounds >= 1,
                "--requests, --max-tokens, --prompt-tokens and --rounds must be >= 1 and --warmup >= 0");
        require(longPromptTokens >= 0 && longPromptPauseMillis >= 0, "--long-prompt-tokens and --long-prompt-pause-ms must be >= 0");
    }

    @Override
    protected void run() {
        new LoadgenCommand(out).run(this);
    }

    /** The server's address without a trailing slash. */
    URI url() {
        String text = url.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : url;
    }

    /** Sent as {@code Authorization: Bearer}; null sends none. */
    @Nullable String apiKey() {
        return apiKey;
    }

    int[] concurrency() {
        return concurrency.clone();
    }

    /** Requests per concurrency level (the same requests at every level). */
    int requests() {
        return requests;
    }

    int maxTokens() {
        return maxTokens;
    }

    int promptTokens() {
        return promptTokens;
    }

    /** The {@code model} field; null asks the server's {@code /v1/models} for the first one. */
    @Nullable String model() {
        return model;
    }

    /** Requests sent one at a time before measuring, so the server's JIT has compiled its paths. */
    int warmup() {
        return warmup;
    }

    /** Tokens of the long prompts sent beside every level's streams; 0 sends none. */
    int longPromptTokens() {
        return longPromptTokens;
    }

    long longPromptPauseMillis() {
        return longPromptPauseMillis;
    }

    /** How often every level (the baseline included) is measured, interleaved, to see through noise. */
    int rounds() {
        return rounds;
    }

    /**
     * Whether to measure the requests one at a time first (no: only the named levels, e.g. to read the server's own
     * step metrics for one level alone).
     */
    boolean baseline() {
        return baseline == YesNo.yes;
    }
}
