package dev.switchboard.tools.generate;

import dev.switchboard.tools.ToolCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The fixed command-line interface of {@code switchboard.jar generate} (other tools script it):
 *
 * <pre>
 * generate --model DIR (--prompt TEXT | --prompt-ids 1,2,3) --max-tokens N
 *          [--temperature T] [--top-p P] [--seed S] [--json] [--trace] [--logits]
 * </pre>
 *
 * {@code --temperature 0} (the default) means greedy decoding. Picocli fills the fields; {@link #check} checks
 * them and {@link #run} runs {@link GenerateCommand}.
 */
@Command(name = "generate",
        customSynopsis = {"generate --model DIR (--prompt TEXT | --prompt-ids 1,2,3) --max-tokens N",
                "                [--temperature T] [--top-p P] [--seed S]",
                "                [--json] [--trace] [--logits] [-h]"},
        description = "Loads a Mixtral-format checkpoint and generates from one prompt: the text as it streams, or"
                + " exactly one JSON object on stdout with --json.")
public final class GenerateArguments extends ToolCommand {

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "The checkpoint folder (config.json, *.safetensors, tokenizer.json).")
    private Path model;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "The prompt as text; the model's BOS token goes before it.")
    private @Nullable String prompt;

    @Option(names = "--prompt-ids", paramLabel = "ID", split = "\\s*,\\s*", splitSynopsisLabel = ",",
            description = "The prompt as token ids, taken as given.")
    private int @Nullable [] promptIds;

    @Option(names = "--max-tokens", paramLabel = "N", required = true, description = "How many tokens to generate at most.")
    private int maxTokens;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0",
            description = "Sampling temperature; 0 (the default) decodes greedily.")
    private double temperature;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1", description = "Nucleus sampling: the smallest set of"
            + " tokens whose probability reaches P, in (0, 1]; default ${DEFAULT-VALUE}.")
    private double topP;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the sampler: the same seed samples the same tokens.")
    private @Nullable Long seed;

    @Option(names = "--json", description = "Print one JSON object: prompt_ids, generated_ids, text, finish_reason,"
            + " tokens_per_second.")
    private boolean json;

    @Option(names = "--trace", description = "Show the experts and weights each token was routed to, per layer"
            + " (with --json: a routing array).")
    private boolean trace;

    @Option(names = "--logits", description = "With --json: add last_logits, the whole vocabulary at the last prompt position.")
    private boolean logits;

    public GenerateArguments(PrintStream out) {
        super(out);
    }

    @Override
    protected void check() {
        require((prompt == null) != (promptIds == null), "give exactly one of --prompt and --prompt-ids");
        require(promptIds == null || promptIds.length > 0, "--prompt-ids needs at least one id");
        require(maxTokens >= 1, "--max-tokens must be at least 1, got " + maxTokens);
        require(temperature >= 0, "--temperature must be >= 0, got " + temperature);
        require(topP > 0 && topP <= 1, "--top-p must be in (0, 1], got " + topP);
    }

    @Override
    protected void run() {
        new GenerateCommand(out).run(this);
    }

    Path model() {
        return model;
    }

    @Nullable String prompt() {
        return prompt;
    }

    int @Nullable [] promptIds() {
        return promptIds;
    }

    int maxTokens() {
        return maxTokens;
    }

    double temperature() {
        return temperature;
    }

    double topP() {
        return topP;
    }

    @Nullable Long seed() {
        return seed;
    }

    boolean json() {
        return json;
    }

    boolean trace() {
        return trace;
    }

    boolean logits() {
        return logits;
    }
}
