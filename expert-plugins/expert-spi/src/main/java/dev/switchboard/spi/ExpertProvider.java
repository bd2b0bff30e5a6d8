package dev.switchboard.spi;

import java.util.List;

/**
 * The service interface found by {@link java.util.ServiceLoader}: one per plugin jar (or built-in module).
 *
 * <p>A provider is a cheap factory: its constructor must not allocate native memory, start threads or
 * do I/O. The host reads {@link #descriptor()}, checks {@link ExpertDescriptor#requiresSpi()} against
 * {@link SpiVersion#CURRENT}, and only then asks for {@link #kinds()}.
 *
 * <p>Register it in {@code META-INF/services/dev.switchboard.spi.ExpertProvider}.
 */
public interface ExpertProvider {

    /** Identity and the SPI version this provider targets. */
    ExpertDescriptor descriptor();

    /** The expert kinds this provider offers; names are unique across all loaded providers. */
    List<ExpertKind> kinds();

    /**
     * Experts this provider contributes to a model as whole new experts (weights and router rows
     * shipped in the jar). Empty for providers that only offer kinds.
     */
    default List<ContributedExpert> contributedExperts() {
        return List.of();
    }
}
