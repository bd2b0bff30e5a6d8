package dev.switchboard.runtime.model;

import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertProvider;
import dev.switchboard.spi.SpiVersion;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expert kinds found with {@link ServiceLoader} on one class loader. Providers whose required SPI
 * version is incompatible with the host are skipped with a warning naming both versions.
 */
public final class ExpertKinds implements ExpertKindResolver {

    private static final Logger log = LoggerFactory.getLogger(ExpertKinds.class);

    private final Map<String, ExpertKind> byName;

    private ExpertKinds(Map<String, ExpertKind> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** The kinds of every {@link ExpertProvider} on this class's class path. */
    public static ExpertKinds fromClassPath() {
        return fromClassLoader(ExpertKinds.class.getClassLoader());
    }

    /**
     * The kinds of every provider visible to {@code loader}.
     *
     * @throws IllegalStateException when two providers offer a kind with the same name
     */
    public static ExpertKinds fromClassLoader(ClassLoader loader) {
        Map<String, ExpertKind> kinds = new LinkedHashMap<>();
        Map<String, String> offeredBy = new LinkedHashMap<>();
        for (ExpertProvider provider : ServiceLoader.load(ExpertProvider.class, loader)) {
            String label = provider.descriptor().label();
            String incompatibility = SpiVersion.incompatibility(provider.descriptor().requiresSpi());
            if (incompatibility != null) {
                log.warn("Skipping expert provider {}: it {}", label, incompatibility);
                continue;
            }
            for (ExpertKind kind : provider.kinds()) {
                String previous = offeredBy.putIfAbsent(kind.name(), label);
                if (previous != null) {
                    throw new IllegalStateException("expert kind '" + kind.name() + "' is offered by both "
                            + previous + " and " + label + "; kind names must be unique");
                }
                kinds.put(kind.name(), kind);
            }
        }
        return new ExpertKinds(kinds);
    }

    @Override
    public Optional<ExpertKind> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public Collection<String> knownNames() {
        return byName.keySet();
    }
}
