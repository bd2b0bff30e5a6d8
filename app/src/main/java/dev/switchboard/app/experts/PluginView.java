package dev.switchboard.app.experts;

import java.util.List;

/**
 * What the API shows of one plugin.
 *
 * @param id the provider id, or the jar's file name when it failed before naming itself
 * @param version the provider's version; empty when unknown
 * @param source {@code classpath} for a built-in, otherwise the jar's path
 * @param requiresSpi the SPI version it targets; empty when unknown
 * @param hostSpi the SPI version this host runs
 * @param state its lifecycle state
 * @param reason why it is {@link PluginState#FAILED}; empty otherwise
 * @param kinds the expert kinds it offers
 * @param contributedExperts the names of the whole experts it ships
 * @param liveExperts how many experts built from its kinds are open now
 */
public record PluginView(
        String id,
        String version,
        String source,
        String requiresSpi,
        String hostSpi,
        PluginState state,
        String reason,
        List<String> kinds,
        List<String> contributedExperts,
        int liveExperts) {

    public PluginView {
        kinds = List.copyOf(kinds);
        contributedExperts = List.copyOf(contributedExperts);
    }

    /** {@code id@version}, or the id alone while the version is unknown. */
    public String label() {
        return version.isEmpty() ? id : id + "@" + version;
    }
}
