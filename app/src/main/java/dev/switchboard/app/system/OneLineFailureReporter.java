package dev.switchboard.app.system;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Prints a start-up failure as a single line on stderr, so that an operator reading the last line of
 * a crashed service (or a supervisor's status) sees the cause and the setting to change.
 */
class OneLineFailureReporter implements FailureAnalysisReporter {

    @Override
    public void report(FailureAnalysis analysis) {
        System.err.println(format(analysis));
    }

    static String format(FailureAnalysis analysis) {
        String description = analysis.getDescription().replaceAll("\\s+", " ").trim();
        String action = analysis.getAction() == null ? "" : analysis.getAction().replaceAll("\\s+", " ").trim();
        return "Switchboard failed to start: " + description + (action.isEmpty() ? "" : " " + action);
    }
}
