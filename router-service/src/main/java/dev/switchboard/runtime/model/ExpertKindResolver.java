package dev.switchboard.runtime.model;

import dev.switchboard.spi.ExpertKind;
import java.util.Collection;
import java.util.Optional;

/**
 * Finds an {@link ExpertKind} by name. {@link ExpertKinds#fromClassPath()} serves built-in kinds; the
 * application supplies one backed by its plugin class loaders.
 */
public interface ExpertKindResolver {

    /** The kind with this name, or empty when there is none. */
    Optional<ExpertKind> find(String name);

    /** The names this resolver knows, for error messages. */
    Collection<String> knownNames();
}
