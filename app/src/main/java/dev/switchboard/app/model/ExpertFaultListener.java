package dev.switchboard.app.model;

import dev.switchboard.runtime.model.ExpertFault;
import dev.switchboard.spi.Expert;

/**
 * Told when the served model disables an expert after a runtime fault (its forward threw or returned the
 * wrong shape). Called on the inference thread, inside the step that hit the fault: return quickly.
 */
@FunctionalInterface
public interface ExpertFaultListener {

    /**
     * @param modelId the served model's id
     * @param fault which expert, and why
     * @param expert the expert object that failed (now disabled in the live table)
     */
    void onFault(String modelId, ExpertFault fault, Expert expert);
}
