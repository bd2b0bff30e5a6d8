package dev.switchboard.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fixed command-line interface of {@code switchboard.jar generate} (other tools script it):
 *
 * <pre>
 * generate --model DIR (--prompt TEXT | --prompt-ids 1,2,3) --max-tokens N
 *          [--temperature T] [--top-p P] [--seed S] [--json] [--trace] [--logits]
 * </pre>
 *
 * {@code --temperature 0} (the default) means greedy decoding.
 */
record GenerateArguments(
        Path model,
        String prompt,
        int[] promptIds,
        int maxTokens,
        double temperature,
        double topP,
        Long seed,
        boolean json,
        boolean trace,
        boolean logits) {

    static final String USAGE = "usage: generate --model DIR (--prompt TEXT | --prompt-ids 1,2,3) --max-tokens N"
            + " [--temperature T] [--top-p P] [--seed S] [--json] [--trace] [--logits]";

    GenerateArguments {
        if (model == null) throw new CliUsageException("--model is required");
        if ((prompt == null) == (promptIds == null)) throw new CliUsageException("give exactly one of --prompt and --prompt-ids");
        if (promptIds != null && promptIds.length == 0) throw new CliUsageException("--prompt-ids needs at least one id");
        if (maxTokens < 1) throw new CliUsageException("--max-tokens must be at least 1, got " + maxTokens);
        if (temperature < 0) throw new CliUsageException("--temperature must be >= 0, got " + temperature);
        if (!(topP > 0 && topP <= 1)) throw new CliUsageException("--top-p must be in (0, 1], got " + topP);
    }

    static GenerateArguments parse(List<String> args) {
        Path model = null;
        String prompt = null;
        int[] promptIds = null;
        Integer maxTokens = null;
        double temperature = 0;
        double topP = 1;
        Long seed = null;
        boolean json = false;
        boolean trace = false;
        boolean logits = false;
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            switch (flag) {
                case "--model" -> model = Path.of(value(flag, rest));
                case "--prompt" -> prompt = value(flag, rest);
                case "--prompt-ids" -> promptIds = ids(value(flag, rest));
                case "--max-tokens" -> maxTokens = integer(flag, value(flag, rest));
                case "--temperature" -> temperature = number(flag, value(flag, rest));
                case "--top-p" -> topP = number(flag, value(flag, rest));
                case "--seed" -> seed = (long) integer(flag, value(flag, rest));
                case "--json" -> json = true;
                case "--trace" -> trace = true;
                case "--logits" -> logits = true;
                default -> throw new CliUsageException("unknown argument '" + flag + "'");
            }
        }
        if (maxTokens == null) throw new CliUsageException("--max-tokens is required");
        return new GenerateArguments(model, prompt, promptIds, maxTokens, temperature, topP, seed, json, trace, logits);
    }

    private static String value(String flag, List<String> rest) {
        if (rest.isEmpty()) throw new CliUsageException(flag + " needs a value");
        return rest.remove(0);
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new CliUsageException(flag + " needs an integer, got '" + value + "'");
        }
    }

    private static double number(String flag, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new CliUsageException(flag + " needs a number, got '" + value + "'");
        }
    }

    private static int[] ids(String value) {
        try {
            return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new CliUsageException("--prompt-ids needs comma-separated integers, got '" + value + "'");
        }
    }
}
