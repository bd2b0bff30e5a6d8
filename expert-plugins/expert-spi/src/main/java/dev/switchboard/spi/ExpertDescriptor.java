package dev.switchboard.spi;

import java.util.Objects;

/**
 * Who a provider is: a stable id, its own version, and the expert SPI version it was built for.
 *
 * @param id stable identifier, lower-case with dashes, for example {@code swiglu} or {@code acme-code-expert}
 * @param version the provider's own version, free form (semantic versioning recommended)
 * @param requiresSpi the {@link SpiVersion} this provider was compiled against, {@code major.minor}
 */
public record ExpertDescriptor(String id, String version, String requiresSpi) {

    public ExpertDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(requiresSpi, "requiresSpi");
        if (!id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("provider id '" + id + "' must be lower-case letters, digits and dashes");
        }
    }

    /** {@code id@version}, the form used in every log line and error message about this provider. */
    public String label() {
        return id + "@" + version;
    }
}
