package dev.switchboard.app.experts;

import dev.switchboard.spi.ContributedExpert;
import dev.switchboard.spi.ExpertDescriptor;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertProvider;
import dev.switchboard.spi.SpiVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarFile;

/**
 * Turns a jar into a validated provider, or a reason why not: the jar opens, it holds exactly one
 * {@link ExpertProvider}, the provider's constructor, {@code descriptor()} and {@code kinds()} return within
 * the init deadline, and it targets a compatible SPI version. Clashes with other plugins are the
 * registry's business.
 */
final class PluginDiscovery {

    private static final String SERVICE_FILE = "META-INF/services/" + ExpertProvider.class.getName();

    private final ClassLoader host;
    private final Duration initTimeout;

    PluginDiscovery(ClassLoader host, Duration initTimeout) {
        this.host = host;
        this.initTimeout = initTimeout;
    }

    /** A started-to-be provider with the class loader and private jar copy it runs from. */
    record Discovered(
            ExpertProvider provider,
            ExpertDescriptor descriptor,
            List<ExpertKind> kinds,
            List<ContributedExpert> contributed,
            PluginClassLoader loader,
            Path privateCopy) {}

    Discovered discover(Path jar) throws PluginRefusedException {
        checkReadable(jar);
        // The loader reads a private copy, so replacing or half-overwriting the watched file never
        // corrupts the classes of a plugin that is running.
        Path copy = privateCopy(jar);
        PluginClassLoader loader = null;
        try {
            loader = new PluginClassLoader("plugin:" + jar.getFileName(), copy, host);
            return withDeadline(jar, loader, copy);
        } catch (PluginRefusedException | RuntimeException e) {
            closeQuietly(loader);
            deleteQuietly(copy);
            throw e;
        } catch (IOException e) {
            closeQuietly(loader);
            deleteQuietly(copy);
            throw new PluginRefusedException("could not open " + jar.getFileName() + ": " + e.getMessage());
        }
    }

    /** Finds and validates providers on the class path, in the host's class loader. */
    Discovered discoverBuiltIn(ServiceLoader.Provider<ExpertProvider> candidate) throws PluginRefusedException {
        return validate(candidate.type().getName(), instantiate(candidate), null, null);
    }

    private Discovered withDeadline(Path jar, PluginClassLoader loader, Path copy) throws PluginRefusedException {
        FutureTask<Discovered> task = new FutureTask<>(() -> findOne(jar, loader, copy));
        Thread thread = new Thread(task, "plugin-init-" + jar.getFileName());
        thread.setDaemon(true);
        thread.setContextClassLoader(loader);
        thread.start();
        try {
            Discovered discovered = task.get(initTimeout.toMillis(), TimeUnit.MILLISECONDS);
            // The task is done and its thread about to end: waiting for that means no thread started for a
            // plugin outlives its load (and none keeps its class loader as context loader).
            thread.join(initTimeout.toMillis());
            return discovered;
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new PluginRefusedException("did not finish initialising within " + initTimeout.toMillis()
                    + " ms (its provider constructor, descriptor() or kinds() hangs); a hung thread stays behind");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PluginRefusedException refused) {
                throw refused;
            }
            throw new PluginRefusedException("failed while initialising: " + describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginRefusedException("loading was interrupted");
        }
    }

    private Discovered findOne(Path jar, PluginClassLoader loader, Path copy) throws PluginRefusedException {
        List<ServiceLoader.Provider<ExpertProvider>> found;
        try {
            // Only providers defined by this jar: a service file naming a shared class must not count.
            found = ServiceLoader.load(ExpertProvider.class, loader).stream()
                    .filter(candidate -> candidate.type().getClassLoader() == loader)
                    .toList();
        } catch (ServiceConfigurationError e) {
            throw new PluginRefusedException("has an invalid " + SERVICE_FILE + ": " + describe(e));
        }
        if (found.isEmpty()) {
            throw new PluginRefusedException("contains no expert provider (expected a " + SERVICE_FILE
                    + " entry naming a class of the jar)");
        }
        if (found.size() > 1) {
            throw new PluginRefusedException("contains " + found.size() + " expert providers "
                    + found.stream().map(p -> p.type().getName()).toList() + "; a plugin jar holds exactly one");
        }
        ServiceLoader.Provider<ExpertProvider> candidate = found.get(0);
        return validate(candidate.type().getName(), instantiate(candidate), loader, copy);
    }

    private static ExpertProvider instantiate(ServiceLoader.Provider<ExpertProvider> candidate)
            throws PluginRefusedException {
        try {
            return candidate.get();
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new PluginRefusedException("provider " + candidate.type().getName()
                    + " could not be constructed: " + describe(cause));
        }
    }

    private static Discovered validate(String type, ExpertProvider provider, PluginClassLoader loader, Path copy)
            throws PluginRefusedException {
        ExpertDescriptor descriptor;
        try {
            descriptor = provider.descriptor();
        } catch (RuntimeException | LinkageError e) {
            throw new PluginRefusedException("provider " + type + " failed in descriptor(): " + describe(e));
        }
        if (descriptor == null) {
            throw new PluginRefusedException("provider " + type + " returned no descriptor");
        }
        String incompatibility = SpiVersion.incompatibility(descriptor.requiresSpi());
        if (incompatibility != null) {
            throw new PluginRefusedException("plugin " + descriptor.label() + " " + incompatibility, descriptor);
        }
        List<ExpertKind> kinds;
        List<ContributedExpert> contributed;
        try {
            kinds = List.copyOf(provider.kinds());
            contributed = List.copyOf(provider.contributedExperts());
        } catch (RuntimeException | LinkageError e) {
            throw new PluginRefusedException("plugin " + descriptor.label() + " failed listing its kinds: " + describe(e), descriptor);
        }
        var names = new HashSet<String>();
        for (ExpertKind kind : kinds) {
            if (!names.add(kind.name())) {
                throw new PluginRefusedException("plugin " + descriptor.label() + " offers kind '" + kind.name() + "' twice", descriptor);
            }
        }
        return new Discovered(provider, descriptor, kinds, contributed, loader, copy);
    }

    private static void checkReadable(Path jar) throws PluginRefusedException {
        try {
            if (Files.size(jar) == 0) {
                throw new PluginRefusedException("is empty (0 bytes), expected a jar");
            }
            try (JarFile opened = new JarFile(jar.toFile())) {
                opened.stream().count(); // walks the central directory: a truncated jar fails here
            }
        } catch (IOException e) {
            throw new PluginRefusedException("is not a readable jar: " + e.getMessage());
        }
    }

    private static Path privateCopy(Path jar) throws PluginRefusedException {
        try {
            Path copy = Files.createTempFile("switchboard-plugin-", "-" + jar.getFileName());
            Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new PluginRefusedException("could not be copied for loading: " + e.getMessage());
        }
    }

    static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    static void closeQuietly(PluginClassLoader loader) {
        if (loader != null) {
            try {
                loader.close();
            } catch (IOException ignored) {
                // the copy is deleted next; nothing else holds the file
            }
        }
    }

    static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans it
            }
        }
    }
}
