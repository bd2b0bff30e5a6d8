package dev.switchboard.app.reliability;

/**
 * What one probe of the reliability suite did: requests (or connections, or records) sent, what of them was
 * lost, the server errors (5xx or a broken stream) seen, and a line of measurements.
 *
 * @param lost records the server acknowledged and then lost; -1 where the probe does not count losses
 * @param allowedLoss the loss the probe accepts (the documented open window on kill -9; 0 elsewhere)
 */
record ProbeResult(String name, long sent, long lost, long allowedLoss, long serverErrors, String measured, boolean ok) {

    boolean passed() {
        return ok && serverErrors == 0 && lost <= allowedLoss;
    }

    String markdownRow() {
        return "| " + name + " | " + sent + " | " + (lost < 0 ? "n/a" : Long.toString(lost)) + " | " + serverErrors + " | "
                + measured + " | " + (passed() ? "pass" : "**FAIL**") + " |";
    }
}
