package dev.switchboard.spi;

import java.util.Map;

/**
 * A whole new expert shipped by a plugin: which kind builds it, and where its weights and router rows
 * come from inside the plugin jar.
 *
 * @param name the expert's display name, unique within its provider
 * @param kind the {@link ExpertKind#name()} that builds it
 * @param resourceDirectory the folder inside the jar holding {@code layer-N/<weight>.bin} files
 *     (little-endian float32, row-major), {@code gate.bin} router rows, or {@code calibration.txt}
 * @param selectionBias an additive bias on this expert's router score used for selection only, so that
 *     a new expert receives traffic without retraining (DeepSeek-V3 style); 0 for none
 * @param options the kind-specific options its kind builds it with ({@link ExpertSpec#options}); the admin
 *     request that adds it may override them one by one; never {@code null} (since SPI 1.1)
 */
public record ContributedExpert(String name, String kind, String resourceDirectory, float selectionBias,
        Map<String, String> options) {

    public ContributedExpert {
        options = Map.copyOf(options == null ? Map.of() : options);
    }

    /** A contributed expert built without kind options (the SPI 1.0 form, kept for plugins built against it). */
    public ContributedExpert(String name, String kind, String resourceDirectory, float selectionBias) {
        this(name, kind, resourceDirectory, selectionBias, Map.of());
    }
}
