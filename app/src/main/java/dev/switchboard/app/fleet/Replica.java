package dev.switchboard.app.fleet;

import java.net.InetAddress;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process as the other replicas and the statistics see it.
 *
 * @param instanceId the configured (or host) name plus a per-boot suffix: the statistics writer replaces an
 *     instance's rows per window span, so a restarted process must never share its predecessor's id; on
 *     Kubernetes the host name is the pod's name
 * @param appVersion the application's version (the jar's {@code Implementation-Version}; {@code dev} in a build tree)
 * @param startedAt when this process started
 */
public record Replica(String instanceId, String appVersion, Instant startedAt) {

    private static final Logger log = LoggerFactory.getLogger(Replica.class);

    /** This process, named {@code name} or, when that is blank, after its host. */
    public static Replica named(String name, Instant now) {
        String base = name;
        if (base == null || base.isBlank()) {
            try {
                base = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                log.debug("No host name for the instance id; using 'switchboard'", e);
                base = "switchboard";
            }
        }
        String version = Replica.class.getPackage().getImplementationVersion();
        return new Replica(base + "/" + UUID.randomUUID().toString().substring(0, 8), version == null ? "dev" : version, now);
    }
}
