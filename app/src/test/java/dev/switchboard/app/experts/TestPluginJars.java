package dev.switchboard.app.experts;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real plugin jars for tests: compiles a provider from source against the SPI and DJL with the
 * JDK's compiler, and packs it with its {@code META-INF/services} entry. Each call uses its own package, so
 * classes of different jars never share a name.
 */
final class TestPluginJars {

    private static int counter;

    private final Path workDir;

    TestPluginJars(Path workDir) {
        this.workDir = workDir;
    }

    /**
     * A plugin whose provider has this id, version and SPI version, runs {@code constructorBody} in its
     * constructor, and offers one kind, {@code kindName}, that builds a {@code [dModel, dModel]} linear
     * expert from the weight {@code w} ({@code y = x · w}).
     */
    Path provider(String id, String version, String requiresSpi, String constructorBody, String kindName)
            throws IOException {
        return plugin(new PluginSource(id, version, requiresSpi, constructorBody, kindName, "\"w\"",
                "return new Linear(spec, weights.get(\"w\"));", """
                static class Linear implements Expert {
                    private final NDManager manager;
                    private final NDArray w;
                    Linear(ExpertSpec spec, NDArray weight) {
                        manager = NDManager.newBaseManager(spec.device());
                        w = weight.duplicate();
                        w.attach(manager);
                    }
                    public NDArray forward(NDArray tokens) { return tokens.matMul(w); }
                    public long parameterCount() { return w.size(); }
                    public long memoryBytes() { return w.size() * 4; }
                    public void close() { manager.close(); }
                }
                """, Map.of()));
    }

    /**
     * A plugin offering kind {@code kindName}, which builds experts from any weights (it reads none) whose
     * {@code forward} always throws: a plugin bug that only shows at run time.
     */
    Path throwingKind(String id, String kindName) throws IOException {
        return plugin(PluginSource.kind(id, kindName, "return new Broken();", """
                static class Broken implements Expert {
                    public NDArray forward(NDArray tokens) { throw new IllegalStateException("simulated bug in " + "%s"); }
                    public long parameterCount() { return 0; }
                    public long memoryBytes() { return 0; }
                    public void close() {}
                }
                """.formatted(kindName)));
    }

    /**
     * A plugin offering kind {@code kindName}, which reads no weights and needs the kind option {@code scale}
     * ({@code y = scale · x}): without it, or with a value that is no number, {@code create} refuses with a
     * message naming it. It also contributes expert {@code scaled} of that kind, declared with option
     * {@code scale=0.25}, router rows from a calibration text and selection bias 0.
     */
    Path optionedKind(String id, String kindName) throws IOException {
        String create = """
                String scale = spec.options().get("scale");
                if (scale == null) {
                    throw new IllegalArgumentException("option 'scale' is required, got options " + spec.options());
                }
                try {
                    return new Scaled(Float.parseFloat(scale));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("option 'scale' must be a number, got '" + scale + "'");
                }
                """;
        String members = """
                public List<ContributedExpert> contributedExperts() {
                    return List.of(new ContributedExpert("scaled", "%s", "experts/scaled", 0f, java.util.Map.of("scale", "0.25")));
                }

                static class Scaled implements Expert {
                    private final float scale;
                    Scaled(float scale) { this.scale = scale; }
                    public NDArray forward(NDArray tokens) { return tokens.mul(scale); }
                    public long parameterCount() { return 0; }
                    public long memoryBytes() { return 0; }
                    public void close() {}
                }
                """.formatted(kindName);
        return plugin(PluginSource.kind(id, kindName, create, members)
                .withResources(Map.of("experts/scaled/calibration.txt", "The quick brown fox jumps over the lazy dog.")));
    }

    /**
     * A plugin offering kind {@code kindName}, which reads no weights and builds identity experts that count
     * how often they are built and how often the host closes them, in the system properties
     * {@code <id>.created} and {@code <id>.closed} (the one JVM-wide place both class loaders see).
     */
    Path countingKind(String id, String kindName) throws IOException {
        return plugin(PluginSource.kind(id, kindName, "count(\"created\"); return new Counted();", """
                static void count(String what) {
                    synchronized (System.getProperties()) {
                        String key = "%s." + what;
                        System.setProperty(key, Integer.toString(Integer.getInteger(key, 0) + 1));
                    }
                }

                static class Counted implements Expert {
                    public NDArray forward(NDArray tokens) { return tokens.mul(1f); }
                    public long parameterCount() { return 0; }
                    public long memoryBytes() { return 0; }
                    public void close() { count("closed"); }
                }
                """.formatted(id)));
    }

    /** A plugin offering kind {@code kindName}, whose {@code create} fails to link: a class its jar lacks. */
    Path unlinkableKind(String id, String kindName) throws IOException {
        return plugin(PluginSource.kind(id, kindName, "throw new NoClassDefFoundError(\"com/acme/NativeKernel\");", ""));
    }

    /**
     * The source of a one-kind plugin: its descriptor, its provider's constructor body, its kind (name, weight
     * names, the body of {@code create}), more members of the provider class, and resources packed beside it.
     */
    private record PluginSource(String id, String version, String requiresSpi, String constructorBody, String kindName,
            String weightNames, String create, String members, Map<String, String> resources) {

        /** Version 1.0.0 on the current SPI, reading no weights. */
        static PluginSource kind(String id, String kindName, String create, String members) {
            return new PluginSource(id, "1.0.0", null, "", kindName, "", create, members, Map.of());
        }

        PluginSource withResources(Map<String, String> more) {
            return new PluginSource(id, version, requiresSpi, constructorBody, kindName, weightNames, create, members, more);
        }

        String java(String pkg) {
            String spi = requiresSpi == null ? "SpiVersion.CURRENT" : "\"" + requiresSpi + "\"";
            return """
                    package %s;

                    import ai.djl.ndarray.NDArray;
                    import ai.djl.ndarray.NDManager;
                    import dev.switchboard.spi.*;
                    import java.util.List;
                    import java.util.Set;

                    public class Provider implements ExpertProvider {
                        public Provider() { %s }
                        public ExpertDescriptor descriptor() { return new ExpertDescriptor("%s", "%s", %s); }
                        public List<ExpertKind> kinds() { return List.of(new Kind()); }

                        static class Kind implements ExpertKind {
                            public String name() { return "%s"; }
                            public Set<String> weightNames() { return Set.of(%s); }
                            public Expert create(ExpertSpec spec, ExpertWeights weights) {
                    %s
                            }
                        }

                    %s
                    }
                    """.formatted(pkg, constructorBody, id, version, spi, kindName, weightNames, create, members);
        }
    }

    private Path plugin(PluginSource plugin) throws IOException {
        String pkg = "testplugin" + (++counter);
        return jar(pkg, plugin.java(pkg), pkg + ".Provider", plugin.id() + "-" + counter + ".jar", plugin.resources());
    }

    /** A jar with classes but no service entry. */
    Path withoutProvider() throws IOException {
        String pkg = "testplugin" + (++counter);
        return jar(pkg, "package " + pkg + "; public class Nothing {}", null, "no-provider-" + counter + ".jar", Map.of());
    }

    /** Compiles {@code source} and packs it with its service entry and {@code resources} (jar path to text). */
    private Path jar(String pkg, String source, String providerClass, String fileName, Map<String, String> resources)
            throws IOException {
        Path src = Files.createDirectories(workDir.resolve("src-" + pkg).resolve(pkg));
        Path classes = Files.createDirectories(workDir.resolve("classes-" + pkg));
        Path file = src.resolve(source.contains("class Provider") ? "Provider.java" : "Nothing.java");
        Files.writeString(file, source);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        boolean ok = compiler.getTask(errors, null, null,
                List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path"), "--release", "17"),
                null, compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(file.toFile()))
                .call();
        if (!ok) {
            throw new IllegalStateException("test plugin does not compile:\n" + errors);
        }
        Path jar = workDir.resolve(fileName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            if (providerClass != null) {
                out.putNextEntry(new JarEntry("META-INF/services/dev.switchboard.spi.ExpertProvider"));
                out.write((providerClass + "\n").getBytes(StandardCharsets.UTF_8));
            }
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path clazz : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(clazz).toString().replace('\\', '/')));
                    Files.copy(clazz, out);
                }
            }
            for (Map.Entry<String, String> resource : resources.entrySet()) {
                out.putNextEntry(new JarEntry(resource.getKey()));
                out.write(resource.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }

    /** Copies a directory of compiled classes and resources (a Maven target/classes) into a jar. */
    static Path jarOf(Path classesDir, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(classesDir)) {
            for (Path entry : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classesDir.relativize(entry).toString().replace('\\', '/')));
                Files.copy(entry, out);
            }
        }
        return jar;
    }
}
