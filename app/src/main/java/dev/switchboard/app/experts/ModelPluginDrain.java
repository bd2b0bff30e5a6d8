package dev.switchboard.app.experts;

import dev.switchboard.app.model.ServedExperts;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.model.ExpertTable;
import dev.switchboard.runtime.model.LayerExperts;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import java.util.ArrayList;
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

    private final ExpertTableEditor editor;
    private final PluginRegistry registry;
    private final ExpertEvents events;
    private final AddedExperts added;
    private final ContributedExpertOperations contributed;

    ModelPluginDrain(ExpertTableEditor editor, PluginRegistry registry, AddedExperts added,
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
        ServedExperts model = served.experts();
        List<AddedExperts.Added> leaving = added.all().stream()
                .filter(a -> a.pluginLabel().equals(pluginLabel) || a.perLayer().stream().anyMatch(experts::contains))
                .toList();
        List<Slot> slots = new ArrayList<>();
        List<int[]> removedAt = editor.exclusively(() -> {
            slots.addAll(rebuild(model, experts));
            List<int[]> at = leaving.isEmpty() ? List.of() : contributed.removeFromModel(model, leaving);
            if (!slots.isEmpty()) {
                editor.swap(model, table -> {
                    ExpertTable next = table;
                    for (Slot slot : slots) {
                        LayerExperts layer = next.layer(slot.layer());
                        if (layer.expert(slot.expert()) != slot.old()) {
                            continue; // no longer there
                        }
                        next = next.withLayer(slot.layer(), slot.rebuilt() != null
                                ? layer.withExpert(slot.expert(), slot.rebuilt())
                                : layer.withDisabled(slot.expert(), true));
                    }
                    return next;
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
    private List<Slot> rebuild(ServedExperts model, Set<Expert> experts) {
        ExpertTable table = model.model().experts();
        Optional<ExpertKind> fallback = registry.kind(model.defaultKind()); // the plugin's own kinds are gone already
        List<Slot> slots = new ArrayList<>();
        for (int l = 0; l < table.layers().size(); l++) {
            for (int e = 0; e < model.checkpointExperts(); e++) {
                Expert expert = table.layer(l).expert(e);
                if (experts.contains(expert)) {
                    Expert rebuilt = null;
                    if (fallback.isPresent()) {
                        try {
                            rebuilt = model.model().buildExpert(model.checkpoint(), l, e, fallback.get());
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
