package dev.switchboard.app.experts;

import dev.switchboard.app.model.ExpertFaultListener;
import dev.switchboard.runtime.model.ExpertFault;
import dev.switchboard.spi.Expert;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Experts the served model disabled after a runtime fault, with the reason: shown as state {@code failed}
 * in the expert list until an admin enables, replaces or removes the expert. Each fault is recorded as a
 * {@code FAILED} event.
 */
@Component
class ExpertFaults implements ExpertFaultListener {

    private final ExpertEvents events;
    private final Map<Expert, String> reasons = Collections.synchronizedMap(new IdentityHashMap<>());

    ExpertFaults(ExpertEvents events) {
        this.events = events;
    }

    @Override
    public void onFault(String modelId, ExpertFault fault, Expert expert) {
        reasons.put(expert, fault.reason());
        events.publish(ExpertLifecycleEvent.ofExpert(modelId, fault.layer(), fault.expert(),
                PluginRegistry.pluginOf(expert).orElse(null), ExpertEventKind.FAILED, fault.reason()));
    }

    /** Why this expert failed, if it did and was not enabled, replaced or removed since. */
    Optional<String> reason(Expert expert) {
        return Optional.ofNullable(reasons.get(expert));
    }

    /** Forgets a failure: the expert was enabled again or left the model. */
    void clear(Expert expert) {
        reasons.remove(expert);
    }
}
