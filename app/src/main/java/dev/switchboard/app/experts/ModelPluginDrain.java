package dev.switchboard.app.experts;

import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.serving.ExpertTableEditor;
import dev.switchboard.runtime.serving.LayerView;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Takes an unloading plugin's experts out of the served model before its code goes: contributed experts it
 * added (or whose kind it offered) leave every layer; checkpoint experts built with its kind are rebuilt with
 * the model's default kind from the checkpoint, or disabled when that is impossible. All in one swap on the
 * inference thread between two steps, so when {@link #release} returns no step holds the plugin's experts
 * and the registry may close them and the class loader.
 */
@Component
class ModelPluginDrain implements PluginDrain {

    private static final Logger log = LoggerFactory.getLogger(ModelPluginDrain.class);

    private final ExpertEdits editor;
    private final PluginRegistry registry;
    private final ExpertEvents events;
    private final AddedExperts added;
    private final ContributedExpertOperations contributed;

    ModelPluginDrain(ExpertEdits editor, PluginRegistry registry, AddedExperts added,
            ContributedExpertOperations contributed, ExpertEvents events) {
        this.editor = editor;
        this.registry = registry;
        this.events = events;
        this.added = added;
        this.contributed = contributed;
    }

    /** A checkpoint expert that must leave: rebuilt with the default kind, or disabled when {@code rebuilt} is null. */
    private record Slot(int layer, int expert, Expert old, Expert rebuilt) {}

    @Override
    public void release(String pluginLabel, Set<Expert> experts) {
        Optional<ServedModel> current = editor.editable();
        if (current.isEmpty()) {
            return;
        }
        ServedModel served = current.get();
        ExpertTableEditor model = served.experts();
        List<AddedExperts.Added> leaving = added.all().stream()
                .filter(a -> a.pluginLabel().equals(pluginLabel) || a.perLayer().stream().anyMatch(experts::contains))
                .toList();
        List<Slot> slots = new ArrayList<>();
        List<int[]> removedAt = editor.exclusively(() -> {
            slots.addAll(rebuild(model, experts));
            List<int[]> at = leaving.isEmpty() ? List.of() : contributed.removeFromModel(model, leaving);
            if (!slots.isEmpty()) {
                editor.apply(model, table -> {
                    for (Slot slot : slots) {
                        if (table.layer(slot.layer()).expert(slot.expert()) != slot.old()) {
                            continue; // no longer there
                        }
                        if (slot.rebuilt() != null) {
                            table.replace(slot.layer(), slot.expert(), slot.rebuilt());
                        } else {
                            table.setDisabled(slot.layer(), slot.expert(), true);
                        }
                    }
                });
            }
            return at;
        });
        for (int i = 0; i < leaving.size(); i++) {
            contributed.afterRemoval(served, leaving.get(i), removedAt.get(i), "because plugin " + pluginLabel + " unloads");
        }
        for (Slot slot : slots) {
            String why = "plugin " + pluginLabel + " unloads";
            events.publish(ExpertLifecycleEvent.ofExpert(served.id(), slot.layer(), slot.expert(),
                    slot.rebuilt() != null ? PluginRegistry.pluginOf(slot.rebuilt()).orElse(null) : pluginLabel,
                    slot.rebuilt() != null ? ExpertEventKind.REPLACED : ExpertEventKind.DISABLED,
                    slot.rebuilt() != null ? why + "; rebuilt with kind " + model.defaultKind() : why + "; no default kind to rebuild with"));
        }
        if (!leaving.isEmpty() || !slots.isEmpty()) {
            log.info("Drained plugin {} from model {}: {} contributed experts removed, {} experts rebuilt or disabled",
                    pluginLabel, served.id(), leaving.size(), slots.size());
        }
    }

    /** The checkpoint experts running the plugin's code, each rebuilt with the default kind where possible. */
    private List<Slot> rebuild(ExpertTableEditor model, Set<Expert> experts) {
        List<LayerView> table = model.table();
        Optional<ExpertKind> fallback = registry.kind(model.defaultKind()); // the plugin's own kinds are gone already
        List<Slot> slots = new ArrayList<>();
        for (int l = 0; l < table.size(); l++) {
            for (int e = 0; e < model.checkpointExperts(); e++) {
                Expert expert = table.get(l).expert(e);
                if (experts.contains(expert)) {
                    Expert rebuilt = null;
                    if (fallback.isPresent()) {
                        try {
                            rebuilt = model.rebuild(l, e, fallback.get(), Map.of());
                        } catch (RuntimeException failed) {
                            log.warn("Could not rebuild expert {} of layer {} with kind {}; disabling it", e, l,
                                    model.defaultKind(), failed);
                        }
                    }
                    slots.add(new Slot(l, e, expert, rebuilt));
                }
            }
        }
        return slots;
    }
}
