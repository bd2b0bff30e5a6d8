package dev.switchboard.app.experts;

import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.serving.ExpertTableEditor;
import dev.switchboard.spi.ContributedExpert;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Adds an expert contributed by a plugin jar to every MoE layer of the served model (its FFN weights per
 * layer from the jar, its router rows from the jar or from calibration text, see {@link GateRows}) and removes
 * it again. Both change every layer's expert count by one in a single table swap between steps.
 */
@Component
class ContributedExpertOperations {

    private static final Logger log = LoggerFactory.getLogger(ContributedExpertOperations.class);

    private final ExpertEdits editor;
    private final PluginRegistry registry;
    private final ExpertEvents events;
    private final AddedExperts added;
    private final ExpertOperations operations;

    ContributedExpertOperations(ExpertEdits editor, PluginRegistry registry, AddedExperts added,
            ExpertOperations operations, ExpertEvents events) {
        this.editor = editor;
        this.registry = registry;
        this.events = events;
        this.added = added;
        this.operations = operations;
    }

    /**
     * Adds contributed expert {@code name} of plugin {@code pluginId} as the last expert of every layer.
     *
     * @param bias the selection bias, or null for the one the plugin declares
     * @param options kind-specific options handed to the kind in {@code ExpertSpec.options}, over those the plugin
     *     declares for the expert
     */
    ExpertTableView add(String pluginId, String name, @Nullable Float bias, Map<String, String> options) {
        ServedModel served = editor.served();
        ExpertTableEditor experts = served.experts();
        for (int l = 0; l < experts.layers(); l++) {
            if (experts.isDense(l)) {
                throw ExpertErrors.conflict("contributed experts join every layer, but layer " + l + " of this "
                        + experts.modelType() + " model is a dense layer with no router to give them a row");
            }
        }
        // Read the plugin before taking the edit lock: an unload holds the registry's lock and waits for edits.
        Plugin plugin = registry.startedPlugins().stream().filter(p -> p.id().equals(pluginId)).findFirst()
                .orElseThrow(() -> ExpertErrors.notFound("plugin", "no started plugin with id '" + pluginId + "'"));
        ContributedExpert contributed = plugin.contributed().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> ExpertErrors.notFound("name", "plugin " + plugin.label() + " contributes no expert '"
                        + name + "'; it contributes " + plugin.contributed().stream().map(ContributedExpert::name).toList()));
        ExpertKind kind = registry.kind(contributed.kind()).orElseThrow(() -> ExpertErrors.conflict("contributed expert '"
                + name + "' needs expert kind '" + contributed.kind() + "', which no started plugin offers"));
        ClassLoader resources = plugin.resources();
        float selectionBias = bias != null ? bias : contributed.selectionBias();
        ContributedWeights files = new ContributedWeights(resources, contributed);

        int[] indices = editor.exclusively(() -> {
            if (added.find(pluginId, name).isPresent()) {
                throw ExpertErrors.conflict("contributed expert " + pluginId + "/" + name + " is already in the model");
            }
            List<Expert> perLayer = build(experts, files, kind, contributed, withOverrides(contributed.options(), options));
            try {
                float[][] rows = new GateRows(editor, served, files).rows();
                if (plugin.state() != PluginState.STARTED) {
                    throw ExpertErrors.conflict("plugin " + plugin.label() + " is " + plugin.state() + "; not adding its expert");
                }
                int[] at = new int[perLayer.size()];
                editor.apply(experts, table -> {
                    for (int l = 0; l < table.layers(); l++) {
                        at[l] = table.add(l, perLayer.get(l), rows[l], selectionBias);
                    }
                });
                added.add(new AddedExperts.Added(pluginId, plugin.label(), name, perLayer, selectionBias, options, null));
                return at;
            } catch (RuntimeException e) {
                perLayer.forEach(Expert::close);
                throw e;
            }
        });
        log.info("Added contributed expert {}/{} as expert {} of every layer (selection bias {})", pluginId, name,
                indices[0], selectionBias);
        for (int l = 0; l < indices.length; l++) {
            events.publish(ExpertLifecycleEvent.ofExpert(served.id(), l, indices[l], plugin.label(),
                    ExpertEventKind.ADDED, "contributed expert " + name + " (kind " + kind.name() + ", selection bias "
                            + selectionBias + ")"));
        }
        return operations.list();
    }

    /** Removes a contributed expert from every layer; later experts move down one index. */
    ExpertTableView remove(String pluginId, String name) {
        ServedModel served = editor.served();
        AddedExperts.Added[] gone = new AddedExperts.Added[1];
        int[] at = editor.exclusively(() -> {
            gone[0] = added.find(pluginId, name).orElseThrow(() -> ExpertErrors.notFound("name",
                    "contributed expert " + pluginId + "/" + name + " is not in the model; added: "
                            + added.all().stream().map(AddedExperts.Added::origin).toList()));
            return removeFromModel(served.experts(), List.of(gone[0])).get(0);
        });
        afterRemoval(served, gone[0], at, "by admin");
        return operations.list();
    }

    /**
     * Takes {@code experts} out of every layer in one swap (closing them) and forgets them. Call inside
     * {@link ExpertEdits#exclusively}; returns each one's index per layer before the swap.
     */
    List<int[]> removeFromModel(ExpertTableEditor experts, List<AddedExperts.Added> leaving) {
        List<int[]> indices = new ArrayList<>();
        editor.apply(experts, table -> {
            for (AddedExperts.Added expert : leaving) {
                int[] at = new int[table.layers()];
                for (int l = 0; l < at.length; l++) {
                    at[l] = table.remove(l, expert.perLayer().get(l));
                }
                indices.add(at);
            }
        });
        leaving.forEach(added::remove);
        return indices;
    }

    /** Logs and records the removal of one contributed expert from every layer ({@code at}: its index per layer). */
    void afterRemoval(ServedModel served, AddedExperts.Added gone, int[] at, String why) {
        log.info("Removed contributed expert {} from every layer ({})", gone.origin(), why);
        for (int l = 0; l < at.length; l++) {
            events.publish(ExpertLifecycleEvent.ofExpert(served.id(), l, at[l], gone.pluginLabel(),
                    ExpertEventKind.REMOVED, "contributed expert " + gone.name() + " " + why));
        }
    }

    static List<Expert> build(ExpertTableEditor experts, ContributedWeights files, ExpertKind kind,
            ContributedExpert contributed, Map<String, String> options) {
        ExpertSpec spec = experts.expertSpec(options);
        int layers = experts.layers();
        List<Expert> perLayer = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            try (ContributedWeights.LayerWeights weights = files.layer(l, kind.weightNames(), spec)) {
                perLayer.add(kind.create(spec, weights));
            } catch (IllegalArgumentException | IllegalStateException wrong) {
                perLayer.forEach(Expert::close);
                throw ExpertErrors.invalid(null, "contributed expert '" + contributed.name() + "' cannot be built for layer "
                        + l + " with kind '" + kind.name() + "': " + wrong.getMessage());
            }
        }
        return perLayer;
    }

    /** The plugin's options for its contributed expert, each replaced by the request's option of the same name. */
    static Map<String, String> withOverrides(Map<String, String> declared, Map<String, String> requested) {
        Map<String, String> merged = new HashMap<>(declared);
        merged.putAll(requested);
        return merged;
    }
}
