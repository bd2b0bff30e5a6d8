package dev.switchboard.app.model;

import dev.switchboard.runtime.serving.HeldOutReport;

/**
 * What {@code GET /api/stats/eval} answers: the served model's held-out losses as {@code eval} measured them.
 *
 * @param model the served model's id
 * @param source where the numbers come from: the file in the model folder that {@code eval --json --output} wrote
 * @param report the report: recipe, window, when measured, and per domain nats/token, bits/byte and tokens
 */
public record ModelEvaluationView(String model, String source, HeldOutReport report) {}
