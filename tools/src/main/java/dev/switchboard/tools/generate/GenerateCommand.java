package dev.switchboard.tools.generate;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.generation.GenerationRequest;
import dev.switchboard.runtime.generation.GenerationResult;
import dev.switchboard.runtime.generation.Generator;
import dev.switchboard.runtime.generation.SamplingParams;
import dev.switchboard.runtime.model.ModelOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.io.PrintStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code switchboard.jar generate}: loads a checkpoint and generates from one prompt, printing either
 * a streaming human-readable run or exactly one JSON object ({@code --json}) on stdout.
 */
final class GenerateCommand {

    private static final Logger log = LoggerFactory.getLogger(GenerateCommand.class);

    private final PrintStream out;

    GenerateCommand(PrintStream out) {
        this.out = out;
    }

    void run(GenerateArguments args) {
        long start = System.nanoTime();
        try (Checkpoint checkpoint = Checkpoint.open(args.model());
                MoeTokenizer tokenizer = MoeTokenizer.load(args.model());
                MoeModel model = MoeModel.load(checkpoint, ModelOptions.defaults())) {
            log.info("Loaded {} in {} ms", args.model(), (System.nanoTime() - start) / 1_000_000);
            int[] promptIds = args.promptIds() != null ? args.promptIds() : tokenizer.encodePrompt(args.prompt(), model.config());
            SamplingParams sampling = new SamplingParams(args.temperature(), 0, args.topP(), args.seed(), args.maxTokens(), List.of());
            GenerationRequest request = new GenerationRequest(promptIds, sampling, args.trace(), null);
            Generator generator = new Generator(model, tokenizer);
            if (args.json()) {
                GenerationResult result = generator.generate(request, token -> {});
                out.println(GenerateJson.render(result, tokenizer, args));
            } else {
                HumanReadableRun human = new HumanReadableRun(out, tokenizer, args.trace());
                human.header(promptIds);
                GenerationResult result = generator.generate(request, human::onToken);
                human.footer(result);
            }
        }
    }
}
