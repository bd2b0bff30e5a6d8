package dev.switchboard.app.experts;

import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.serving.ExpertTableEditor;
import dev.switchboard.runtime.serving.LayerView;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Operations on the experts of the served model: list, disable, enable, and replace the implementation of
 * checkpoint experts with another kind built from the same checkpoint weights. Contributed experts (added
 * from plugin jars) are {@link ContributedExpertOperations}' business. Each change is one table swap between
 * steps and one event per expert touched.
 */
@Component
class ExpertOperations {

    private static final Logger log = LoggerFactory.getLogger(ExpertOperations.class);

    private final ExpertEdits editor;
    private final PluginRegistry registry;
    private final ExpertEvents events;
    private final ExpertFaults faults;
    private final AddedExperts added;
    private final ExpertConfigurationSync shared;

    ExpertOperations(ExpertEdits editor, PluginRegistry registry, ExpertFaults faults, AddedExperts added,
            ExpertEvents events, ExpertConfigurationSync shared) {
        this.editor = editor;
        this.registry = registry;
        this.events = events;
        this.faults = faults;
        this.added = added;
        this.shared = shared;
    }

    ExpertTableView list() {
        ServedModel served = editor.served();
        ExpertTableEditor model = served.experts();
        List<LayerView> table = model.table();
        List<ExpertTableView.Layer> layers = new ArrayList<>();
        for (int l = 0; l < table.size(); l++) {
            LayerView layer = table.get(l);
            float[] bias = layer.selectionBias();
            List<ExpertTableView.Expert> experts = new ArrayList<>();
            for (int e = 0; e < layer.size(); e++) {
                Expert expert = layer.expert(e);
                String reason = layer.isDisabled(e) ? faults.reason(expert).orElse(null) : null;
                String state = !layer.isDisabled(e) ? "enabled" : reason != null ? "failed" : "disabled";
                experts.add(new ExpertTableView.Expert(e, kindOf(expert), PluginRegistry.pluginOf(expert).orElse(null),
                        added.originOf(expert).orElse("checkpoint"), expert.parameterCount(), expert.memoryBytes(),
                        state, bias[e], reason));
            }
            ExpertTableView.SharedExpert sharedExpert = model.sharedExpert(l).map(expert -> new ExpertTableView.SharedExpert(
                    kindOf(expert), PluginRegistry.pluginOf(expert).orElse(null), expert.parameterCount(),
                    expert.memoryBytes())).orElse(null);
            layers.add(new ExpertTableView.Layer(l, layer.size(), experts, model.isDense(l), sharedExpert));
        }
        return new ExpertTableView(served.id(), served.experts().expertsPerToken(), layers,
                shared.appliedVersion());
    }

    /** Masks an expert out of routing: the router renormalises its top-k weights over the others. */
    ExpertTableView disable(int layer, int expert) {
        return setDisabled(layer, expert, true);
    }

    /** Makes a disabled (or failed) expert routable again. */
    ExpertTableView enable(int layer, int expert) {
        return setDisabled(layer, expert, false);
    }

    private ExpertTableView setDisabled(int layer, int expert, boolean disabled) {
        ServedModel served = editor.served();
        Expert touched = editor.exclusively(() -> {
            LayerView current = checkedLayer(served, layer, expert);
            int k = served.experts().expertsPerToken();
            if (disabled && current.enabledCount() - (current.isDisabled(expert) ? 0 : 1) < k) {
                throw ExpertErrors.conflict("disabling expert " + expert + " of layer " + layer + " would leave fewer than "
                        + k + " (top-k) enabled experts");
            }
            editor.apply(served.experts(), table -> table.setDisabled(layer, expert, disabled));
            return current.expert(expert);
        });
        if (!disabled) {
            faults.clear(touched);
        }
        log.info("Expert {} of layer {} {}", expert, layer, disabled ? "disabled" : "enabled");
        event(served, layer, expert, touched, disabled ? ExpertEventKind.DISABLED : ExpertEventKind.ENABLED, "by admin");
        return list();
    }

    /**
     * Rebuilds checkpoint experts of a layer with {@code kindName} from the same checkpoint weights: expert
     * {@code only}, or every checkpoint expert of the layer when {@code only} is null, passing {@code options}
     * to the kind in {@code ExpertSpec.options}. Disabled flags stay.
     */
    ExpertTableView replace(int layer, Integer only, String kindName, Map<String, String> options) {
        ServedModel served = editor.served();
        ExpertTableEditor experts = served.experts();
        ExpertKind kind = registry.kind(kindName).orElseThrow(() -> ExpertErrors.invalid("kind", "unknown expert kind '"
                + kindName + "'; loaded kinds: " + registry.kindResolver().knownNames()));
        List<Integer> targets = new ArrayList<>();
        List<String> previous = new ArrayList<>();
        List<Expert> built = editor.exclusively(() -> {
            LayerView current = checkedLayer(served, layer, only == null ? 0 : only);
            for (int e = 0; e < experts.checkpointExperts(); e++) {
                if (only == null || only == e) {
                    targets.add(e);
                    previous.add(kindOf(current.expert(e)));
                }
            }
            if (targets.isEmpty()) {
                throw ExpertErrors.conflict("expert " + only + " of layer " + layer + " was contributed by a plugin; only"
                        + " the checkpoint's experts 0.." + (experts.checkpointExperts() - 1) + " can be rebuilt with another kind");
            }
            List<Expert> fresh = build(experts, layer, targets, kind, options);
            try {
                editor.apply(experts, table -> {
                    for (int i = 0; i < targets.size(); i++) {
                        table.replace(layer, targets.get(i), fresh.get(i));
                    }
                });
            } catch (RuntimeException e) {
                fresh.forEach(Expert::close);
                throw e;
            }
            return fresh;
        });
        log.info("Layer {} experts {} replaced with kind {}", layer, targets, kindName);
        for (int i = 0; i < targets.size(); i++) {
            event(served, layer, targets.get(i), built.get(i), ExpertEventKind.REPLACED, previous.get(i) + " -> " + kindName);
        }
        return list();
    }

    private static List<Expert> build(ExpertTableEditor experts, int layer, List<Integer> targets, ExpertKind kind,
            Map<String, String> options) {
        List<Expert> fresh = new ArrayList<>();
        for (int e : targets) {
            try {
                fresh.add(experts.rebuild(layer, e, kind, options));
            } catch (IllegalArgumentException | IllegalStateException wrong) {
                fresh.forEach(Expert::close);
                throw ExpertErrors.invalid("kind", "expert kind '" + kind.name() + "' cannot build expert " + e
                        + " of layer " + layer + " from the checkpoint's weights: " + wrong.getMessage());
            }
        }
        return fresh;
    }

    private LayerView checkedLayer(ServedModel served, int layer, int expert) {
        List<LayerView> table = served.experts().table();
        if (layer < 0 || layer >= table.size()) {
            throw ExpertErrors.notFound("layer", "no layer " + layer + "; the model has layers 0.." + (table.size() - 1));
        }
        if (served.experts().isDense(layer)) {
            throw ExpertErrors.conflict("layer " + layer + " is a dense layer: its MLP runs on every token with weight 1"
                    + " and is not routed, so it cannot be disabled, enabled or replaced; these act on the routed experts"
                    + " of the sparse layers");
        }
        LayerView current = table.get(layer);
        if (expert < 0 || expert >= current.size()) {
            throw ExpertErrors.notFound("expert", "no expert " + expert + " in layer " + layer + "; it has experts 0.."
                    + (current.size() - 1));
        }
        return current;
    }

    static String kindOf(Expert expert) {
        return expert instanceof TrackedExpert tracked ? tracked.kind() : expert.getClass().getSimpleName();
    }

    private void event(ServedModel served, int layer, int expert, Expert subject, ExpertEventKind kind, String reason) {
        events.publish(ExpertLifecycleEvent.ofExpert(served.id(), layer, expert,
                PluginRegistry.pluginOf(subject).orElse(null), kind, reason));
    }
}
