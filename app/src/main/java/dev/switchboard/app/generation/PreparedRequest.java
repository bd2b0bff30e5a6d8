package dev.switchboard.app.generation;

import dev.switchboard.app.generation.openai.GenerationParameters;
import dev.switchboard.app.model.ServedModel;

/**
 * A completion request parsed, rendered and tokenized on a preparation thread, not yet submitted. Submission
 * happens only once the client is still there to receive the answer: a request dropped while it was being
 * prepared never reaches the scheduler.
 */
record PreparedRequest(GenerationParameters request, ServedModel model, int[] prompt) {}
