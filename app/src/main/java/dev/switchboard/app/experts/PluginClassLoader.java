package dev.switchboard.app.experts;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * The class loader of one plugin jar. Its parent is the platform class loader, so a plugin sees
 * {@code java.*} and the JDK but none of the application's classes or libraries; only the expert SPI
 * ({@code dev.switchboard.spi}) and DJL ({@code ai.djl}) are taken from the host, so that
 * {@code ExpertProvider}, {@code NDArray} and the native engine are the very same classes on both sides.
 * (The same split as PF4J's {@code PluginClassLoader}: shared API from the parent, the rest from the jar.)
 */
final class PluginClassLoader extends URLClassLoader {

    static final List<String> SHARED_PACKAGES = List.of("dev.switchboard.spi.", "ai.djl.");

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader host;

    PluginClassLoader(String name, Path jar, ClassLoader host) throws MalformedURLException {
        super(name, new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        this.host = host;
    }

    @Override
    protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
        for (String shared : SHARED_PACKAGES) {
            if (className.startsWith(shared)) {
                return host.loadClass(className);
            }
        }
        return super.loadClass(className, resolve);
    }
}
