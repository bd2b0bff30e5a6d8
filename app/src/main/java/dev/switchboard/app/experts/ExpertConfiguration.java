package dev.switchboard.app.experts;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The desired expert configuration of a model, as every replica stores and reads it: what differs from the
 * model as loaded from its checkpoint. Applying it to the loaded model gives the same expert table on every
 * replica: the same kinds, the same contributed experts in the same order (so the same router rows and
 * indices), the same experts disabled. Runtime faults are not part of it: they are one replica's business.
 *
 * @param rebuilt checkpoint experts built with another kind or with kind options, by layer and expert
 * @param contributed contributed experts in the order they were added (their index follows the checkpoint's)
 * @param disabled experts an admin masked out of routing, by layer and index (contributed ones included)
 */
public record ExpertConfiguration(List<Rebuilt> rebuilt, List<Contributed> contributed, List<Disabled> disabled) {

    /** The model as loaded: nothing rebuilt, added or disabled (version 0). */
    static final ExpertConfiguration AS_LOADED = new ExpertConfiguration(List.of(), List.of(), List.of());

    /** Checkpoint expert {@code expert} of {@code layer} built with {@code kind} and these kind options. */
    public record Rebuilt(int layer, int expert, String kind, Map<String, String> options) {
        public Rebuilt {
            options = Map.copyOf(options == null ? Map.of() : options);
        }
    }

    /**
     * A plugin's contributed expert in every layer.
     *
     * @param options the options given when it was added, over those the plugin declares
     * @param gateRows its router rows {@code [layer][hidden]} when they were fitted by calibration
     *     ({@code POST .../calibrate}), so that every replica installs the same rows; null when each replica derives them
     *     from the jar ({@code gate.bin} or {@code calibration.txt}, {@link GateRows})
     */
    public record Contributed(String plugin, String name, float selectionBias, Map<String, String> options,
            @Nullable List<List<Float>> gateRows) {
        public Contributed {
            options = Map.copyOf(options == null ? Map.of() : options);
            gateRows = gateRows == null ? null : gateRows.stream().map(List::copyOf).toList();
        }

        /** The fitted rows as arrays, or null. */
        float @Nullable [][] gateRowArrays() {
            return GateRows.arrays(gateRows);
        }

        String origin() {
            return plugin + "/" + name;
        }
    }

    /** Expert {@code expert} of {@code layer} masked out of routing. */
    public record Disabled(int layer, int expert) {}

    /** Sorted, so that two equal configurations compare and serialise equal whatever order they were built in. */
    public ExpertConfiguration {
        rebuilt = rebuilt.stream().sorted(Comparator.comparingInt(Rebuilt::layer).thenComparingInt(Rebuilt::expert)).toList();
        contributed = List.copyOf(contributed);
        disabled = disabled.stream().sorted(Comparator.comparingInt(Disabled::layer).thenComparingInt(Disabled::expert)).toList();
    }

    boolean isDisabled(int layer, int expert) {
        return disabled.contains(new Disabled(layer, expert));
    }
}
