package dev.switchboard.app.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code --name value} arguments of a command-line tool, read once: unknown, repeated or value-less flags and
 * malformed numbers end the tool with a {@link CliUsageException} that names the flag.
 */
public final class Flags {

    private final Map<String, String> values;

    private Flags(Map<String, String> values) {
        this.values = values;
    }

    /** @param known the flags the tool takes, with their leading {@code --} */
    public static Flags parse(List<String> args, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String flag = args.get(i);
            if (!known.contains(flag)) throw new CliUsageException("unknown argument '" + flag + "'");
            if (i + 1 == args.size()) throw new CliUsageException(flag + " needs a value");
            if (values.put(flag, args.get(i + 1)) != null) throw new CliUsageException(flag + " is given twice");
        }
        return new Flags(values);
    }

    public @Nullable String text(String flag) {
        return values.get(flag);
    }

    public String text(String flag, String fallback) {
        return values.getOrDefault(flag, fallback);
    }

    public @Nullable Path path(String flag) {
        String value = values.get(flag);
        return value == null ? null : Path.of(value);
    }

    public int integer(String flag, int fallback) {
        return (int) number(flag, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    public long longInteger(String flag, long fallback) {
        return number(flag, fallback, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A comma-separated list such as {@code 1,4,16}. */
    public int[] integers(String flag, int[] fallback) {
        String value = values.get(flag);
        if (value == null) return fallback.clone();
        try {
            return Arrays.stream(value.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new CliUsageException(flag + " needs comma-separated numbers, got '" + value + "'");
        }
    }

    /** {@code yes} or {@code no}. */
    public boolean yesNo(String flag, boolean fallback) {
        String value = values.get(flag);
        if (value == null) return fallback;
        return switch (value) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new CliUsageException(flag + " is yes or no, got '" + value + "'");
        };
    }

    private long number(String flag, long fallback, long min, long max) {
        String value = values.get(flag);
        if (value == null) return fallback;
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < min || parsed > max) throw new NumberFormatException();
            return parsed;
        } catch (NumberFormatException e) {
            throw new CliUsageException(flag + " needs a number, got '" + value + "'");
        }
    }
}
