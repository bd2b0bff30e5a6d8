package dev.switchboard.app.experts;

import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.serving.ExpertTableEditor;
import dev.switchboard.runtime.serving.LayerView;
import dev.switchboard.runtime.serving.TableEdit;
import dev.switchboard.spi.ContributedExpert;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Brings the served model's live expert table to a desired {@link ExpertConfiguration} in one swap between
 * steps. Everything that can fail (a plugin that is not started, a kind nobody offers, weights a kind cannot
 * build) fails before the swap, and then nothing changes: the replica keeps serving its last good set.
 * Only the differences are built: contributed experts after the longest common prefix of the live and the
 * desired list leave and are added again, checkpoint experts whose kind or options differ are rebuilt.
 */
@Component
class ExpertConfigurationApplier {

    private final ExpertEdits editor;
    private final PluginRegistry registry;
    private final AddedExperts added;
    private final ExpertFaults faults;
    private final LiveExpertConfiguration live;
    private final ExpertEvents events;

    ExpertConfigurationApplier(ExpertEdits editor, PluginRegistry registry, AddedExperts added, ExpertFaults faults,
            LiveExpertConfiguration live, ExpertEvents events) {
        this.editor = editor;
        this.registry = registry;
        this.added = added;
        this.faults = faults;
        this.live = live;
        this.events = events;
    }

    /** A checkpoint expert rebuilt with another kind. */
    private record Rebuild(int layer, int expert, String kind, Expert fresh) {}

    /** A contributed expert to add: built per layer, with its router rows. */
    private record Addition(ExpertConfiguration.Contributed wanted, Plugin plugin, List<Expert> perLayer, float[][] rows) {}

    /**
     * Applies {@code desired}; call inside {@link ExpertEdits#exclusively}.
     *
     * @param why the reason recorded with each lifecycle event, e.g. {@code expert configuration v7}
     * @return whether the table changed
     * @throws IllegalStateException what keeps this replica from applying it, with nothing changed
     */
    boolean apply(ServedModel served, ExpertConfiguration desired, String why) {
        ExpertTableEditor experts = served.experts();
        ExpertConfiguration now = live.read(experts);
        if (now.equals(desired)) {
            return false;
        }
        int keep = commonPrefix(now.contributed(), desired.contributed());
        List<AddedExperts.Added> leaving = added.all().subList(keep, added.all().size());
        List<Addition> additions = new ArrayList<>();
        List<Rebuild> rebuilds = new ArrayList<>();
        try {
            rebuilds.addAll(rebuilds(experts, now, desired));
            for (ExpertConfiguration.Contributed wanted : desired.contributed().subList(keep, desired.contributed().size())) {
                additions.add(build(served, wanted));
            }
        } catch (RuntimeException failed) {
            rebuilds.forEach(r -> r.fresh().close());
            additions.forEach(a -> a.perLayer().forEach(Expert::close));
            throw failed;
        }
        editor.apply(experts, table -> {
            for (AddedExperts.Added gone : leaving) {
                for (int l = 0; l < table.layers(); l++) {
                    table.remove(l, gone.perLayer().get(l));
                }
            }
            for (Addition addition : additions) {
                for (int l = 0; l < table.layers(); l++) {
                    table.add(l, addition.perLayer().get(l), addition.rows()[l], addition.wanted().selectionBias());
                }
            }
            for (Rebuild rebuild : rebuilds) {
                table.replace(rebuild.layer(), rebuild.expert(), rebuild.fresh());
            }
            setDisabledFlags(table, desired);
        });
        List.copyOf(leaving).forEach(added::remove);
        for (Addition addition : additions) {
            added.add(new AddedExperts.Added(addition.wanted().plugin(), addition.plugin().label(), addition.wanted().name(),
                    addition.perLayer(), addition.wanted().selectionBias(), addition.wanted().options(),
                    addition.wanted().gateRows()));
        }
        events(served, now, desired, rebuilds, why);
        return true;
    }

    /** Each expert's flag as desired; an expert a runtime fault disabled stays disabled until an admin enables it. */
    private void setDisabledFlags(TableEdit table, ExpertConfiguration desired) {
        for (int l = 0; l < table.layers(); l++) {
            LayerView layer = table.layer(l);
            for (int e = 0; e < layer.size(); e++) {
                boolean wanted = desired.isDisabled(l, e) || faults.reason(layer.expert(e)).isPresent();
                if (layer.isDisabled(e) != wanted) {
                    table.setDisabled(l, e, wanted);
                }
            }
        }
    }

    private List<Rebuild> rebuilds(ExpertTableEditor experts, ExpertConfiguration now, ExpertConfiguration desired) {
        Map<List<Integer>, ExpertConfiguration.Rebuilt> current = byPosition(now.rebuilt());
        Map<List<Integer>, ExpertConfiguration.Rebuilt> wanted = byPosition(desired.rebuilt());
        List<Rebuild> rebuilds = new ArrayList<>();
        try {
            for (int l = 0; l < experts.layers(); l++) {
                for (int e = 0; e < experts.checkpointExperts(); e++) {
                    ExpertConfiguration.Rebuilt target = wanted.get(List.of(l, e));
                    if (java.util.Objects.equals(current.get(List.of(l, e)), target)) {
                        continue;
                    }
                    String kindName = target != null ? target.kind() : experts.defaultKind();
                    ExpertKind kind = registry.kind(kindName).orElseThrow(() -> new IllegalStateException("expert kind '"
                            + kindName + "' is not offered by any started plugin here; loaded kinds: "
                            + registry.kindResolver().knownNames()));
                    Map<String, String> options = target != null ? target.options() : Map.of();
                    rebuilds.add(new Rebuild(l, e, kindName, experts.rebuild(l, e, kind, options)));
                }
            }
            return rebuilds;
        } catch (RuntimeException failed) {
            rebuilds.forEach(r -> r.fresh().close());
            throw failed;
        }
    }

    private Addition build(ServedModel served, ExpertConfiguration.Contributed wanted) {
        Plugin plugin = registry.startedPlugins().stream().filter(p -> p.id().equals(wanted.plugin())).findFirst()
                .orElseThrow(() -> new IllegalStateException("contributed expert " + wanted.origin() + " needs plugin '"
                        + wanted.plugin() + "', which is not started here; upload it (POST /api/admin/plugins) or put its jar"
                        + " in the plugins folder"));
        ContributedExpert contributed = plugin.contributed().stream().filter(c -> c.name().equals(wanted.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("plugin " + plugin.label() + " contributes no expert '"
                        + wanted.name() + "'; it contributes " + plugin.contributed().stream().map(ContributedExpert::name).toList()));
        ExpertKind kind = registry.kind(contributed.kind()).orElseThrow(() -> new IllegalStateException("contributed expert "
                + wanted.origin() + " needs expert kind '" + contributed.kind() + "', which no started plugin offers here"));
        ContributedWeights files = new ContributedWeights(plugin.resources(), contributed);
        List<Expert> perLayer = ContributedExpertOperations.build(served.experts(), files, kind, contributed,
                ContributedExpertOperations.withOverrides(contributed.options(), wanted.options()));
        try {
            float[][] fitted = wanted.gateRowArrays();
            return new Addition(wanted, plugin, perLayer, fitted != null ? GateRows.checked(fitted, served.experts(),
                    wanted.origin()) : new GateRows(editor, served, files).rows());
        } catch (RuntimeException failed) {
            perLayer.forEach(Expert::close);
            throw failed;
        }
    }

    private void events(ServedModel served, ExpertConfiguration before, ExpertConfiguration after, List<Rebuild> rebuilds,
            String why) {
        List<LayerView> table = served.experts().table();
        for (Rebuild rebuild : rebuilds) {
            event(served, rebuild.layer(), rebuild.expert(), rebuild.fresh(), ExpertEventKind.REPLACED,
                    "kind " + rebuild.kind() + " (" + why + ")");
        }
        for (ExpertConfiguration.Contributed gone : before.contributed()) {
            if (!after.contributed().contains(gone)) {
                events.publish(ExpertLifecycleEvent.ofPlugin(gone.plugin(), ExpertEventKind.REMOVED,
                        "contributed expert " + gone.name() + " (" + why + ")"));
            }
        }
        for (int l = 0; l < table.size(); l++) {
            LayerView layer = table.get(l);
            for (int e = 0; e < layer.size(); e++) {
                boolean was = before.isDisabled(l, e);
                boolean is = after.isDisabled(l, e);
                if (was != is) {
                    event(served, l, e, layer.expert(e), is ? ExpertEventKind.DISABLED : ExpertEventKind.ENABLED, why);
                }
            }
        }
        for (ExpertConfiguration.Contributed added : after.contributed()) {
            if (!before.contributed().contains(added)) {
                events.publish(ExpertLifecycleEvent.ofPlugin(added.plugin(), ExpertEventKind.ADDED,
                        "contributed expert " + added.name() + ", selection bias " + added.selectionBias() + " (" + why + ")"));
            }
        }
    }

    private void event(ServedModel served, int layer, int expert, Expert subject, ExpertEventKind kind, String why) {
        events.publish(ExpertLifecycleEvent.ofExpert(served.id(), layer, expert, PluginRegistry.pluginOf(subject).orElse(null), kind, why));
    }

    private static Map<List<Integer>, ExpertConfiguration.Rebuilt> byPosition(List<ExpertConfiguration.Rebuilt> rebuilt) {
        Map<List<Integer>, ExpertConfiguration.Rebuilt> map = new HashMap<>();
        rebuilt.forEach(r -> map.put(List.of(r.layer(), r.expert()), r));
        return map;
    }

    private static int commonPrefix(List<ExpertConfiguration.Contributed> a, List<ExpertConfiguration.Contributed> b) {
        int k = 0;
        while (k < a.size() && k < b.size() && a.get(k).equals(b.get(k))) {
            k++;
        }
        return k;
    }
}
