package dev.switchboard.app.experts;

import dev.switchboard.runtime.serving.ExpertTableEditor;
import dev.switchboard.runtime.serving.LayerView;
import dev.switchboard.spi.Expert;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The expert configuration the served model runs now, read from its live table: the inverse of
 * {@link ExpertConfigurationApplier}. An expert disabled by a runtime fault counts as enabled here: faults stay
 * with the replica they happened on.
 */
@Component
class LiveExpertConfiguration {

    private final AddedExperts added;
    private final ExpertFaults faults;

    LiveExpertConfiguration(AddedExperts added, ExpertFaults faults) {
        this.added = added;
        this.faults = faults;
    }

    ExpertConfiguration read(ExpertTableEditor experts) {
        List<LayerView> table = experts.table();
        List<ExpertConfiguration.Rebuilt> rebuilt = new ArrayList<>();
        List<ExpertConfiguration.Disabled> disabled = new ArrayList<>();
        for (int l = 0; l < table.size(); l++) {
            LayerView layer = table.get(l);
            for (int e = 0; e < layer.size(); e++) {
                Expert expert = layer.expert(e);
                if (e < experts.checkpointExperts()) {
                    String kind = ExpertOperations.kindOf(expert);
                    Map<String, String> options = expert instanceof TrackedExpert tracked ? tracked.options() : Map.of();
                    if (!kind.equals(experts.defaultKind()) || !options.isEmpty()) {
                        rebuilt.add(new ExpertConfiguration.Rebuilt(l, e, kind, options));
                    }
                }
                if (layer.isDisabled(e) && faults.reason(expert).isEmpty()) {
                    disabled.add(new ExpertConfiguration.Disabled(l, e));
                }
            }
        }
        List<ExpertConfiguration.Contributed> contributed = added.all().stream()
                .map(a -> new ExpertConfiguration.Contributed(a.pluginId(), a.name(), a.selectionBias(), a.options(),
                        a.gateRows()))
                .toList();
        return new ExpertConfiguration(rebuilt, contributed, disabled);
    }
}
