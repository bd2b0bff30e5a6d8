package dev.switchboard.app.generation;

import dev.switchboard.app.generation.openai.GenerationParameters;
import dev.switchboard.app.model.ServedModel;
import dev.switchboard.runtime.routing.RoutingOverride;
import org.jspecify.annotations.Nullable;

/**
 * A completion request parsed, rendered and tokenized on a preparation thread, not yet submitted. Submission
 * happens only once the client is still there to receive the answer: a request dropped while it was being
 * prepared never reaches the scheduler.
 *
 * @param routingOverride the request's {@code routing_override}, checked against the caller and the model; or null
 */
record PreparedRequest(GenerationParameters request, ServedModel model, int[] prompt,
        @Nullable RoutingOverride routingOverride) {}
