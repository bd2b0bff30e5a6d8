package dev.switchboard.spi;

/**
 * The version of this SPI, and the compatibility rule between a provider and the host.
 *
 * <p>Semantic versioning: a provider built against {@code major.minor} runs on a host whose SPI has the
 * same major and a minor at least as high. A new minor only adds (new default methods, new optional
 * records); a new major may change or remove anything.
 */
public final class SpiVersion {

    /** The SPI version this jar implements. */
    public static final String CURRENT = "1.2";

    private SpiVersion() {}

    /**
     * Checks a provider's required SPI version against {@link #CURRENT}.
     *
     * @param required the version the provider was built for, {@code major.minor}
     * @return {@code null} when compatible, otherwise the reason, naming both versions
     */
    public static String incompatibility(String required) {
        int[] host = parse(CURRENT);
        int[] wanted;
        try {
            wanted = parse(required);
        } catch (IllegalArgumentException e) {
            return "requires expert SPI '" + required + "', which is not a major.minor version (host has " + CURRENT + ")";
        }
        if (wanted[0] != host[0]) {
            return "was built for expert SPI " + required + " but the host runs " + CURRENT + " (major versions differ)";
        }
        if (wanted[1] > host[1]) {
            return "was built for expert SPI " + required + " but the host runs the older " + CURRENT;
        }
        return null;
    }

    private static int[] parse(String version) {
        String[] parts = version == null ? new String[0] : version.trim().split("\\.");
        if (parts.length != 2) {
            throw new IllegalArgumentException(version);
        }
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(version, e);
        }
    }
}
