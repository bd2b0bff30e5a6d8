package dev.switchboard.spi;

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
 */
public record ContributedExpert(String name, String kind, String resourceDirectory, float selectionBias) {}
