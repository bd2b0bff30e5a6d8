package dev.switchboard.app.bench;

import dev.switchboard.app.cli.CliUsageException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        Path model = null;
        String dtype = "f32";
        int[] batches = {1, 8};
        int promptTokens = 128;
        int steps = 32;
        int rounds = 3;
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            if (rest.isEmpty()) throw new CliUsageException(flag + " needs a value");
            String value = rest.remove(0);
            try {
                switch (flag) {
                    case "--model" -> model = Path.of(value);
                    case "--dtype" -> dtype = value;
                    case "--batches" -> batches = Arrays.stream(value.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
                    case "--prompt-tokens" -> promptTokens = Integer.parseInt(value);
                    case "--steps" -> steps = Integer.parseInt(value);
                    case "--rounds" -> rounds = Integer.parseInt(value);
                    default -> throw new CliUsageException("unknown argument '" + flag + "'");
                }
            } catch (NumberFormatException e) {
                throw new CliUsageException(flag + " needs a number, got '" + value + "'");
            }
        }
        return new BenchArguments(model, dtype, batches, promptTokens, steps, rounds);
    }
}
