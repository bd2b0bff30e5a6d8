package dev.switchboard.app.system;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The file that initdb, pg_ctl and the embedded server write to ({@code <data-dir>/postgres.log}). Read back
 * when start-up fails, so that the operator sees PostgreSQL's own reason ("could not change permissions of
 * directory ...: Operation not permitted") instead of a guess. Rotated once at start past {@link #ROTATE_BYTES}.
 */
record PostgresLog(Path file, long startOffset) {

    static final long ROTATE_BYTES = 10L * 1024 * 1024;
    private static final int MAX_REASON_CHARS = 600;

    static PostgresLog open(Path file) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) > ROTATE_BYTES) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            return new PostgresLog(file, Files.isRegularFile(file) ? Files.size(file) : 0);
        } catch (IOException e) {
            return new PostgresLog(file, 0); // the start itself will report what is wrong with the folder
        }
    }

    /** The error lines written since {@link #open}, else its last lines; empty when nothing was written. */
    String errorsSinceOpened() {
        List<String> lines = linesSinceOpened();
        List<String> errors = lines.stream().filter(PostgresLog::isError).toList();
        List<String> reason = errors.isEmpty() ? lines.subList(Math.max(0, lines.size() - 3), lines.size()) : errors;
        String joined = String.join(" | ", reason);
        return joined.length() <= MAX_REASON_CHARS ? joined : joined.substring(0, MAX_REASON_CHARS) + "…";
    }

    private List<String> linesSinceOpened() {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= startOffset) return List.of();
            byte[] bytes = new byte[(int) Math.min(length - startOffset, 64 * 1024)];
            in.seek(length - bytes.length);
            in.readFully(bytes);
            List<String> lines = new ArrayList<>();
            for (String line : Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"))) {
                if (!line.isBlank()) lines.add(line.strip());
            }
            return lines;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean isError(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        return lower.contains("error:") || lower.contains("fatal:") || lower.contains("panic:");
    }
}
