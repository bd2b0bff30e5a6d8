package dev.switchboard.app.experts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What of a plugin jar this process holds: the files it has open (Linux {@code /proc/self/fd}) and its threads. */
final class PluginFiles {

    private PluginFiles() {}

    /**
     * The files this process has open whose name ends with {@code suffix} (the jar itself or its private copy),
     * deleted ones included: the kernel shows those as {@code "<path> (deleted)"}.
     */
    static List<Path> openFilesEndingWith(String suffix) throws IOException {
        List<Path> open = new ArrayList<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors.toList()) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString().replaceFirst(" \\(deleted\\)$", "");
                    if (target.endsWith(suffix)) {
                        open.add(Path.of(target));
                    }
                } catch (IOException closedMeanwhile) {
                    // the listing's own descriptor, or one closed since
                }
            }
        }
        return open;
    }

    /** Live threads that are the plugin's: named after its jar, or running with its class loader as context. */
    static List<String> threadsOf(String jarName, ClassLoader loader) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(thread -> thread.getName().contains(jarName) || thread.getContextClassLoader() == loader)
                .map(Thread::getName)
                .toList();
    }
}
