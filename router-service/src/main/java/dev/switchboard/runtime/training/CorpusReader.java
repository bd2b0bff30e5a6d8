package dev.switchboard.runtime.training;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads a recipe domain's documents: text files (by glob), chat exchanges (JSON lines) or synthetic arithmetic. */
final class CorpusReader {

    private CorpusReader() {}

    static List<String> documents(TrainingRecipe.CorpusDomain domain, Path recipeDirectory, long seed) {
        List<String> documents = switch (domain.kind()) {
            case "text" -> textFiles(domain, recipeDirectory);
            case "chat" -> chatExchanges(domain, recipeDirectory);
            case "arithmetic" -> ArithmeticDialogues.generate(domain.count(), seed);
            default -> throw new IllegalArgumentException("domain " + domain.name() + ": unknown kind \"" + domain.kind()
                    + "\" (text, chat or arithmetic)");
        };
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("domain " + domain.name() + ": no documents found in " + domain.sources());
        }
        return documents;
    }

    private static List<String> textFiles(TrainingRecipe.CorpusDomain domain, Path recipeDirectory) {
        List<String> documents = new ArrayList<>();
        for (String source : domain.sources()) {
            for (Path file : matching(recipeDirectory, source)) {
                documents.add(read(file).replace("\r\n", "\n"));
            }
        }
        return documents;
    }

    private static List<String> chatExchanges(TrainingRecipe.CorpusDomain domain, Path recipeDirectory) {
        List<String> documents = new ArrayList<>();
        for (String source : domain.sources()) {
            Path file = recipeDirectory.resolve(source).normalize();
            int number = 0;
            for (String line : read(file).split("\n")) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonObject exchange = JsonParser.parseString(line).getAsJsonObject();
                    documents.add("[INST] " + exchange.get("user").getAsString() + " [/INST]"
                            + exchange.get("assistant").getAsString());
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + ":" + number
                            + ": expected {\"user\": \"...\", \"assistant\": \"...\"}: " + e.getMessage(), e);
                }
            }
        }
        return documents;
    }

    /** Files matching {@code pattern} (a path relative to {@code base}, with {@code *}/{@code **} allowed), sorted. */
    static List<Path> matching(Path base, String pattern) {
        int glob = pattern.indexOf('*');
        if (glob < 0) {
            Path file = base.resolve(pattern).normalize();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + ": no such corpus file");
            }
            return List.of(file);
        }
        int slash = pattern.lastIndexOf('/', glob);
        Path root = base.resolve(slash < 0 ? "." : pattern.substring(0, slash)).normalize();
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(slash + 1));
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> matcher.matches(root.relativize(file)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(root + ": cannot list corpus files", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read corpus file", e);
        }
    }
}
