package dev.switchboard.app.experts;

import dev.switchboard.spi.Expert;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** The contributed experts now in the served model, one expert object per MoE layer each. */
@Component
class AddedExperts {

    /**
     * One contributed expert in the model.
     *
     * @param pluginId the contributing plugin's id
     * @param pluginLabel its {@code id@version}
     * @param name the contributed expert's name
     * @param perLayer its expert in each layer, by layer index
     * @param selectionBias its selection bias in every layer
     * @param options the kind options it was added with, over those the plugin declares
     * @param gateRows its router rows when calibration fitted them ({@link ExpertConfiguration.Contributed#gateRows})
     */
    record Added(String pluginId, String pluginLabel, String name, List<Expert> perLayer, float selectionBias,
            Map<String, String> options, @Nullable List<List<Float>> gateRows) {

        Added {
            perLayer = List.copyOf(perLayer);
            options = Map.copyOf(options);
        }

        /** This expert with router rows fitted by calibration. */
        Added withGateRows(List<List<Float>> fitted) {
            return new Added(pluginId, pluginLabel, name, perLayer, selectionBias, options, fitted);
        }

        String origin() {
            return pluginId + "/" + name;
        }

        boolean holds(Expert expert) {
            return perLayer.stream().anyMatch(mine -> mine == expert);
        }
    }

    private final List<Added> added = new CopyOnWriteArrayList<>();

    void add(Added expert) {
        added.add(expert);
    }

    void remove(Added expert) {
        added.remove(expert);
    }

    /** Puts {@code next} in the place of {@code current} (the same expert, e.g. with calibrated rows). */
    void replace(Added current, Added next) {
        added.set(added.indexOf(current), next);
    }

    List<Added> all() {
        return List.copyOf(added);
    }

    Optional<Added> find(String pluginId, String name) {
        return added.stream().filter(a -> a.pluginId().equals(pluginId) && a.name().equals(name)).findFirst();
    }

    /** {@code <plugin id>/<name>} for a contributed expert; empty for a checkpoint expert. */
    Optional<String> originOf(Expert expert) {
        return added.stream().filter(a -> a.holds(expert)).map(Added::origin).findFirst();
    }
}
