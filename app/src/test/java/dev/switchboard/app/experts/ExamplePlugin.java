package dev.switchboard.app.experts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The example external plugin (expert-plugins/examples/relu-mlp-plugin) as a jar, built from the reactor's output. */
public final class ExamplePlugin {

    public static final String ID = "example-relu-mlp";
    static final String KIND = "relu-mlp";

    private ExamplePlugin() {}

    /** Jars the example plugin's compiled classes and resources into {@code jar}. */
    public static Path jar(Path jar) throws IOException {
        String classes = System.getProperty("plugin.example.classes");
        if (classes == null || !Files.isDirectory(Path.of(classes))) {
            throw new IllegalStateException("the example plugin's classes are missing (" + classes
                    + "); build it with ./mvnw -pl app -am test");
        }
        return TestPluginJars.jarOf(Path.of(classes), jar);
    }
}
