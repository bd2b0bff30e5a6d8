package dev.switchboard.app.bench;

import dev.switchboard.app.cli.CliUsageException;
import dev.switchboard.app.cli.Flags;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code bench --model DIR [--dtype f32|f16] [--batches 1,8] [--prompt-tokens 128] [--steps 32] [--rounds 3]}.
 */
record BenchArguments(Path model, String dtype, int[] batches, int promptTokens, int steps, int rounds) {

    static final String USAGE = "usage: bench --model DIR [--dtype f32|f16] [--batches 1,8] [--prompt-tokens 128]"
            + " [--steps 32] [--rounds 3]";

    BenchArguments {
        if (model == null) throw new CliUsageException("--model is required");
        if (!dtype.equals("f32") && !dtype.equals("f16")) throw new CliUsageException("--dtype is f32 or f16, got " + dtype);
        if (batches.length == 0 || Arrays.stream(batches).anyMatch(b -> b < 1)) throw new CliUsageException("--batches needs positive sizes");
        if (promptTokens < 1 || steps < 2 || rounds < 1) throw new CliUsageException("--prompt-tokens, --steps (>= 2) and --rounds must be positive");
    }

    static BenchArguments parse(List<String> args) {
        Flags flags = Flags.parse(args, Set.of("--model", "--dtype", "--batches", "--prompt-tokens", "--steps", "--rounds"));
        return new BenchArguments(flags.path("--model"), flags.text("--dtype", "f32"), flags.integers("--batches", new int[] {1, 8}),
                flags.integer("--prompt-tokens", 128), flags.integer("--steps", 32), flags.integer("--rounds", 3));
    }
}
