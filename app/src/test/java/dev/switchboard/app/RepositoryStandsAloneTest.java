package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A clone of the repository is all a reader has: no file may point at notes or scripts that live
 * outside it (a team workspace next to the checkout, an absolute path on one machine). What the code
 * relies on is written in docs/MOE.md, docs/API.md and CONTRIBUTING.md instead.
 *
 * <p>The forbidden strings are assembled from pieces so that this file does not match itself. Landed Flyway
 * migrations are scanned too: a comment in one is corrected through CommentOnlyMigrationEdits.
 */
class RepositoryStandsAloneTest {

    private static final List<String> FORBIDDEN = List.of(
            ".." + "/shared",
            "/" + "work" + "/",
            "MOE" + "-NOTES",
            "API" + "-NOTES",
            "DASHBOARD" + "-NOTES",
            "PIT" + "FALLS",
            "STYLE" + ".md",
            "FAMILIES" + ".md");

    @Test
    void noTrackedFileReferencesAPathOutsideTheRepository() throws IOException {
        Path root = repositoryRoot();
        List<String> hits = new ArrayList<>();
        for (Path file : trackedFiles(root)) {
            String text = textOf(file);
            if (text == null) {
                continue;
            }
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                for (String pattern : FORBIDDEN) {
                    if (lines[i].contains(pattern)) {
                        hits.add(root.relativize(file) + ":" + (i + 1) + " mentions " + pattern);
                    }
                }
            }
        }
        assertThat(hits).as("references to files a clone does not have").isEmpty();
    }

    @Test
    void theScanSeesTheRepositorysOwnDocs() throws IOException {
        // Guards the test above against passing vacuously (wrong root, git missing, empty listing).
        List<Path> files = trackedFiles(repositoryRoot());
        assertThat(files).anyMatch(p -> p.endsWith(Path.of("docs", "ARCHITECTURE.md")));
        assertThat(files).anyMatch(p -> p.endsWith(Path.of("app", "src", "main", "java", "dev", "switchboard",
                "app", "SwitchboardApplication.java")));
        assertThat(files).noneMatch(p -> p.toString().contains("/target/") || p.toString().contains("/node_modules/"));
    }

    /** Surefire runs in the module folder; the root is the first parent holding the reactor's mvnw. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("app")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    /** Tracked files per git; a source copy without git metadata is walked instead, build outputs skipped. */
    private static List<Path> trackedFiles(Path root) throws IOException {
        List<Path> listed = gitLsFiles(root);
        if (listed != null) {
            return listed;
        }
        Set<String> ignoredFolders = ignoredFolders(root);
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !isSkipped(root.relativize(p)))
                    .filter(p -> root.relativize(p).getNameCount() < 2
                            || !ignoredFolders.contains(root.relativize(p).getName(0).toString()))
                    .toList();
        }
    }

    private static boolean isSkipped(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals("target") || name.equals("node_modules") || name.equals(".git") || name.equals("dist")) {
                return true;
            }
        }
        return false;
    }

    /** Folders the root .gitignore names ({@code data/}, {@code plugins/}, …): run-time output, not sources. */
    private static Set<String> ignoredFolders(Path root) throws IOException {
        Set<String> folders = new HashSet<>();
        Path gitignore = root.resolve(".gitignore");
        if (Files.isRegularFile(gitignore)) {
            for (String line : Files.readAllLines(gitignore)) {
                String entry = line.trim();
                if (entry.endsWith("/") && !entry.startsWith("#") && !entry.contains("*")) {
                    folders.add(entry.substring(entry.startsWith("/") ? 1 : 0, entry.length() - 1));
                }
            }
        }
        return folders;
    }

    private static List<Path> gitLsFiles(Path root) throws IOException {
        Process git;
        try {
            git = new ProcessBuilder("git", "ls-files", "-z").directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException noGit) {
            return null;
        }
        byte[] out = git.getInputStream().readAllBytes();
        try {
            if (!git.waitFor(30, TimeUnit.SECONDS) || git.exitValue() != 0) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        List<Path> files = new ArrayList<>();
        for (String name : new String(out, StandardCharsets.UTF_8).split("\0")) {
            Path file = root.resolve(name);
            // A file deleted in the work tree but still in the index has nothing left to check.
            if (!name.isEmpty() && Files.isRegularFile(file) && !isSkipped(Path.of(name))) {
                files.add(file);
            }
        }
        return files;
    }

    /** The file as text, or null for binary files (a NUL byte, as grep -I decides): weights, jars, images. */
    private static String textOf(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            for (byte b : bytes) {
                if (b == 0) {
                    return null;
                }
            }
            return new String(bytes, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
