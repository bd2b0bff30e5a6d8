package dev.switchboard.app.experts;

import dev.switchboard.app.model.ModelHolder;
import dev.switchboard.app.model.ServedExperts;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.app.model.StepBoundary;
import dev.switchboard.runtime.model.ExpertTable;
import dev.switchboard.runtime.model.LayerExperts;
import dev.switchboard.runtime.model.MoeModel;
import ai.djl.ndarray.NDArray;
import dev.switchboard.spi.Expert;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The one way the served model's expert table changes while serving. Edits are serialised (one at a time,
 * building experts included), and each swap runs on the inference thread between two forward steps
 * ({@link StepBoundary}): a step sees the whole old table or the whole new one, never a mix, and no step
 * still holds what the new table dropped, so dropped experts and router gates are closed right there.
 *
 * <p>Lock order: the plugin registry's lock (an unload) may be held when an edit starts; an edit never
 * takes the registry's lock.
 *
 * <p>Replicas share one expert configuration: when an edit made here (an admin's change, a plugin's drain)
 * swapped the table, {@link ExpertConfigurationSync#publishLocalEdit} runs before the lock is released, so the
 * new configuration is stored before any other edit starts. Edits that apply the shared configuration run
 * through {@link #applyingShared} and are not reported back.
 */
@Component
class ExpertTableEditor {

    private final ModelHolder holder;
    private final StepBoundary boundary;
    private final ExpertFaults faults;
    private final ReentrantLock lock = new ReentrantLock();
    private final ObjectProvider<ExpertConfigurationSync> shared; // looked up at the first edit: it edits through this
    // The outermost edit in progress swapped the table; written under the lock (by the inference thread on its behalf).
    private volatile boolean swapped;
    private boolean applyingShared; // guarded by lock

    ExpertTableEditor(ModelHolder holder, StepBoundary boundary, ExpertFaults faults,
            ObjectProvider<ExpertConfigurationSync> shared) {
        this.holder = holder;
        this.boundary = boundary;
        this.faults = faults;
        this.shared = shared;
    }

    /** The served model and its experts; 503 while none is loaded, 409 for an engine without an expert table. */
    ServedModel served() {
        ServedModel served = holder.require();
        if (served.experts() == null) {
            throw ExpertErrors.conflict("the served model " + served.id() + " has no editable expert table");
        }
        return served;
    }

    /** The served model and its experts when there is one to edit. */
    java.util.Optional<ServedModel> editable() {
        return holder.current().filter(served -> served.experts() != null);
    }

    /** Runs {@code work} on the inference thread between two steps (e.g. a calibration forward). */
    <T> T betweenSteps(java.util.concurrent.Callable<T> work) {
        return boundary.betweenSteps(work);
    }

    /** Runs {@code edit} while no other edit runs. */
    <T> T exclusively(Supplier<T> edit) {
        lock.lock();
        boolean outermost = lock.getHoldCount() == 1;
        try {
            return edit.get();
        } finally {
            try {
                if (outermost && swapped && !applyingShared) {
                    shared.ifAvailable(ExpertConfigurationSync::publishLocalEdit);
                }
            } finally {
                if (outermost) {
                    swapped = false;
                }
                lock.unlock();
            }
        }
    }

    /** Runs {@code apply} (which applies the shared configuration) while no other edit runs, without reporting it back. */
    <T> T applyingShared(Supplier<T> apply) {
        lock.lock();
        boolean outermost = lock.getHoldCount() == 1;
        try {
            applyingShared = outermost || applyingShared;
            return exclusively(apply);
        } finally {
            if (outermost) {
                applyingShared = false;
                swapped = false;
            }
            lock.unlock();
        }
    }

    /**
     * Installs {@code change(live table)} between two steps and closes the experts and gates it dropped.
     * Call inside {@link #exclusively}. When {@code change} throws, nothing changes.
     */
    ExpertTable swap(ServedExperts experts, UnaryOperator<ExpertTable> change) {
        MoeModel model = experts.model();
        return boundary.betweenSteps(() -> {
            ExpertTable old = model.experts();
            ExpertTable next = change.apply(old);
            model.swapExperts(next);
            swapped = true;
            closeDropped(old, next);
            return next;
        });
    }

    private void closeDropped(ExpertTable old, ExpertTable next) {
        Set<Object> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        for (LayerExperts layer : next.layers()) {
            kept.add(layer.gate());
            kept.addAll(layer.experts());
        }
        for (LayerExperts layer : old.layers()) {
            NDArray gate = layer.gate();
            if (!kept.contains(gate)) {
                gate.close();
                kept.add(gate);
            }
            for (Expert expert : layer.experts()) {
                if (!kept.contains(expert)) {
                    faults.clear(expert);
                    expert.close();
                    kept.add(expert);
                }
            }
        }
    }
}
