package dev.switchboard.app.experts;

/**
 * What {@code POST /api/admin/experts/contributed/{plugin}/{name}/calibrate} answers: the router rows it fitted are
 * installed, and how they compare with the lifecycle's mean-input rows ({@link CalibratedRow}) on the same text.
 * Losses are mean next-token cross-entropy in nats per token on held-out windows; a loss change is against the model
 * with the expert masked out of routing (the model before the expert came), negative when the expert helps.
 *
 * @param origin {@code <plugin id>/<name>}
 * @param expert the expert's index in every layer
 * @param steps Adam steps run
 * @param fitSeconds wall time of the fit alone
 * @param totalSeconds wall time of the whole request: private copy, heuristic rows, measurements, fit and install
 * @param tokens the calibration text's tokens: fitted on, held out, and of the other text
 * @param otherSource {@code request}, or {@code built-in sample}
 * @param withoutExpert the expert masked out of routing
 * @param heuristic with the mean-input rows the lifecycle computes from calibration text when it adds an expert
 * @param calibrated with the fitted rows, now installed
 * @param configurationVersion the version of the shared expert configuration that holds the fitted rows
 */
record CalibrationReport(String origin, int expert, int steps, double fitSeconds, double totalSeconds, CalibrationTokens tokens,
        String otherSource, CalibrationBaseline withoutExpert, CalibrationRows heuristic, CalibrationRows calibrated, long configurationVersion) {

    /** Token counts. */
    record CalibrationTokens(int fit, int heldOut, int other) {}

    /**
     * One text with one choice of rows.
     *
     * @param loss mean next-token cross-entropy, nats per token
     * @param share of all top-k places on the text's tokens, the share the expert took, averaged over the MoE layers
     */
    record CalibrationMeasure(double loss, double share) {}

    /**
     * One choice of rows, on the held-out calibration text and on the other text.
     *
     * @param calibrationLossChange {@code calibration.loss} minus the loss without the expert
     * @param otherLossChange {@code other.loss} minus the loss without the expert
     */
    record CalibrationRows(CalibrationMeasure calibration, CalibrationMeasure other, double calibrationLossChange,
            double otherLossChange) {}

    /** The expert masked: the baseline the changes are measured against. */
    record CalibrationBaseline(CalibrationMeasure calibration, CalibrationMeasure other) {}
}
