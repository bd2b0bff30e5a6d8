package dev.switchboard.app.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The service's state folder ({@code switchboard.data-dir}), created and proven writable at start. */
record DataDirectory(Path root) {

    static final String SETTING = "switchboard.data-dir (env SWITCHBOARD_DATA_DIR)";

    static DataDirectory prepare(String configured) {
        Path root = Paths.get(configured).toAbsolutePath().normalize();
        DataDirectory dataDir = new DataDirectory(root);
        dataDir.refuseFilesOnThePath();
        try {
            Files.createDirectories(root);
            // isWritable lies for root and on some mounts: prove it by writing.
            Path probe = Files.createTempFile(root, ".write-probe", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new StartupConfigurationException(
                    "The data directory " + root + " is not writable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ").",
                    SETTING + " to a writable folder",
                    e);
        }
        return dataDir;
    }

    Path postgresDirectory() {
        return root.resolve("postgres");
    }

    /** The embedded PostgreSQL's own output (initdb, server log), next to its folder: initdb needs that one empty. */
    Path postgresLog() {
        return root.resolve("postgres.log");
    }

    /** A file where a folder must be (the data directory, one above it, or its postgres folder) is named as such. */
    private void refuseFilesOnThePath() {
        for (Path path = postgresDirectory(); path != null; path = path.getParent()) {
            if (Files.exists(path) && !Files.isDirectory(path)) {
                throw new StartupConfigurationException(
                        "The data directory " + root + " cannot be used: " + path + " is a file, not a folder.",
                        SETTING + " to a folder (or move the file away)",
                        null);
            }
        }
    }
}
