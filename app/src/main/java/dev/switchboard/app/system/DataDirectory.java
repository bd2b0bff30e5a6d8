package dev.switchboard.app.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The service's state folder ({@code switchboard.data-dir}), created and proven writable at start. */
record DataDirectory(Path root) {

    static DataDirectory prepare(String configured) {
        Path root = Paths.get(configured).toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
            // isWritable lies for root and on some mounts: prove it by writing.
            Path probe = Files.createTempFile(root, ".write-probe", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new StartupConfigurationException(
                    "The data directory " + root + " is not writable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ").",
                    "switchboard.data-dir (env SWITCHBOARD_DATA_DIR) to a writable folder",
                    e);
        }
        return new DataDirectory(root);
    }

    Path postgresDirectory() {
        return root.resolve("postgres");
    }
}
