package dev.switchboard.app.experts;

import dev.switchboard.app.model.ModelHolder;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.app.model.StepBoundary;
import dev.switchboard.runtime.serving.ExpertTableEditor;
import dev.switchboard.runtime.serving.TableEdit;
import dev.switchboard.spi.Expert;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The one way the served model's expert table changes while serving. Edits are serialised (one at a time,
 * building experts included), and each is applied by the runtime's {@link ExpertTableEditor} on the inference
 * thread between two forward steps ({@link StepBoundary}): a step sees the whole old table or the whole new one,
 * never a mix, and no step still holds what the new table dropped, so the runtime closes dropped experts and router
 * gates right there.
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
class ExpertEdits {

    private final ModelHolder holder;
    private final StepBoundary boundary;
    private final ExpertFaults faults;
    private final ReentrantLock lock = new ReentrantLock();
    private final ObjectProvider<ExpertConfigurationSync> shared; // looked up at the first edit: it edits through this
    // The outermost edit in progress swapped the table; written under the lock (by the inference thread on its behalf).
    private volatile boolean swapped;
    private boolean applyingShared; // guarded by lock

    ExpertEdits(ModelHolder holder, StepBoundary boundary, ExpertFaults faults,
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
     * Applies {@code change} to the live table between two steps; the runtime closes the experts and gates it
     * dropped, and their fault reasons are forgotten. Call inside {@link #exclusively}. When {@code change} throws,
     * nothing changes.
     */
    void apply(ExpertTableEditor experts, Consumer<TableEdit> change) {
        boundary.betweenSteps(() -> {
            for (Expert dropped : experts.apply(change)) {
                faults.clear(dropped);
            }
            swapped = true;
            return null;
        });
    }
}
