package dev.switchboard.tools.loadgen;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code switchboard.jar loadgen}: a bounded load generator for the serving benchmark (docs/PERFORMANCE.md).
 * Sends the same {@code --requests} streaming chat completions at each concurrency level, first one at a
 * time (the baseline), and prints per level the aggregate generated tokens/s, its ratio to the baseline,
 * time to first token and inter-token latency percentiles, and errors, as Markdown.
 */
public final class LoadgenCommand {

    private static final Logger log = LoggerFactory.getLogger(LoadgenCommand.class);

    private final PrintStream out;

    public LoadgenCommand(PrintStream out) {
        this.out = out;
    }

    public void run(LoadgenArguments args) {
        ChatStreamClient client = new ChatStreamClient(args.url(), args.apiKey());
        String model = args.model() != null ? args.model() : client.firstModel();
        int words = wordsFor(client, model, args.promptTokens());
        String longPrompt = args.longPromptTokens() > 0 ? PromptText.words(wordsFor(client, model, args.longPromptTokens()), -1000) : null;
        List<String> prompts = new ArrayList<>(args.requests());
        for (int i = 0; i < args.requests(); i++) {
            prompts.add(PromptText.words(words, i));
        }
        for (int i = 0; i < args.warmup(); i++) {
            StreamResult warm = client.stream(model, PromptText.words(words, -1 - i), args.maxTokens(), i);
            if (warm.failed()) throw new IllegalStateException("warm-up request failed: " + warm.error());
        }
        int[] order = args.baseline()
                ? IntStream.concat(IntStream.of(1), Arrays.stream(args.concurrency()).filter(c -> c != 1)).toArray()
                : args.concurrency();
        Map<Integer, List<LevelResult>> rounds = new LinkedHashMap<>();
        for (int round = 0; round < args.rounds(); round++) {
            for (int concurrency : order) { // interleaved, so a noisy minute hits every level alike
                rounds.computeIfAbsent(concurrency, c -> new ArrayList<>())
                        .add(measure(client, model, prompts, args, concurrency, longPrompt));
            }
        }
        List<LevelResult> levels = rounds.values().stream().map(LoadgenCommand::medianRound).toList();
        print(args, model, args.baseline() ? levels.get(0) : null, levels);
    }

    /** The round with the median throughput (the lower middle one for an even count). */
    static LevelResult medianRound(List<LevelResult> rounds) {
        List<LevelResult> sorted = rounds.stream().sorted(Comparator.comparingDouble(LevelResult::tokensPerSecond)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    /**
     * How many words make a prompt of about {@code promptTokens} tokens, chat template included: two short
     * requests (1 and 32 words) give the template's overhead and the tokens per word from their usage.
     */
    private static int wordsFor(ChatStreamClient client, String model, int promptTokens) {
        StreamResult one = client.stream(model, PromptText.words(1, Long.MIN_VALUE), 1, 0);
        StreamResult many = client.stream(model, PromptText.words(32, Long.MIN_VALUE), 1, 0);
        if (one.failed() || many.failed() || one.promptTokens() < 0 || many.promptTokens() < 0) {
            throw new IllegalStateException("calibration requests failed or sent no usage: " + (one.failed() ? one.error() : many.error()));
        }
        double perWord = (many.promptTokens() - one.promptTokens()) / 31.0;
        double overhead = one.promptTokens() - perWord;
        int words = (int) Math.max(1, Math.round((promptTokens - overhead) / Math.max(perWord, 0.1)));
        log.info("prompts: {} words ({} tokens per word, {} tokens of chat template)", words, String.format(Locale.ROOT, "%.2f", perWord),
                String.format(Locale.ROOT, "%.0f", overhead));
        return words;
    }

    private LevelResult measure(ChatStreamClient client, String model, List<String> prompts, LoadgenArguments args, int concurrency,
            @Nullable String longPrompt) {
        log.info("{} concurrent streams, {} requests", concurrency, prompts.size());
        LongPromptSender sender = longPrompt == null ? null
                : new LongPromptSender(i -> client.stream(model, longPrompt, 1, i), args.longPromptPauseMillis());
        LevelResult result;
        try {
            result = LoadLevel.run(concurrency, prompts.size(), i -> client.stream(model, prompts.get(i), args.maxTokens(), i));
        } finally {
            if (sender != null) {
                sender.close();
                log.info("{} long prompts answered ({} failed) during the level", sender.sent(), sender.failed());
            }
        }
        if (result.errors() > 0) log.warn("{} of {} requests failed at {} streams, e.g. {}", result.errors(), result.requests(),
                concurrency, result.firstError());
        return result;
    }

    private void print(LoadgenArguments args, String model, @Nullable LevelResult baseline, List<LevelResult> levels) {
        line("## Serving %s at %s: %d requests per level, max_tokens %d, prompts of about %d tokens, median of %d rounds%s",
                model, args.url(), args.requests(), args.maxTokens(), args.promptTokens(), args.rounds(),
                args.longPromptTokens() > 0 ? String.format(Locale.ROOT, "; beside the streams, long prompts of about %d tokens,"
                        + " one at a time, %d ms apart", args.longPromptTokens(), args.longPromptPauseMillis()) : "");
        line("");
        line("| streams | requests | errors | prompt tokens (mean) | generated tokens | wall (s) | tokens/s | × one at a time"
                + " | TTFT p50 / p90 / p99 (ms) | inter-token p50 / p90 / p99 (ms) |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        for (LevelResult level : levels) {
            String ratio = baseline == null ? "-" : String.format(Locale.ROOT, "%.2f", level.tokensPerSecond() / baseline.tokensPerSecond());
            line("| %d | %d | %d | %.1f | %d | %.1f | %.1f | %s | %s | %s |", level.concurrency(), level.requests(), level.errors(),
                    level.meanPromptTokens(), level.generatedTokens(), level.wallNanos() / 1e9, level.tokensPerSecond(),
                    ratio, millis(level.timeToFirstToken()), millis(level.interToken()));
        }
        levels.stream().filter(l -> l.firstError() != null).forEach(l -> line("%n- %d streams, first error: %s", l.concurrency(), l.firstError()));
    }

    private static String millis(Percentiles p) {
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", p.at(50) / 1e6, p.at(90) / 1e6, p.at(99) / 1e6);
    }

    private void line(String format, Object... values) {
        out.println(String.format(Locale.ROOT, format, values));
    }
}
