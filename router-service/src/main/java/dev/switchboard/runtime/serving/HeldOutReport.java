package dev.switchboard.runtime.serving;

import java.time.Instant;
import java.util.List;

/**
 * What {@code eval} measured of a model on a training recipe's held-out split, as a model folder carries it in
 * {@value #FILE} ({@code eval --json --output <model>/eval-report.json}): the part of {@code eval}'s JSON report that a
 * server shows, written and read with snake_case names ({@code windows_per_domain}, {@code held_out},
 * {@code nats_per_token}, ...). The file holds more (per-layer routing), which readers of this record skip.
 *
 * @param model the model folder as {@code eval} was given it
 * @param recipe the recipe whose held-out split (documents by the recipe's {@code held_out_share} and {@code seed}) was
 *     measured
 * @param window tokens per held-out window
 * @param windowsPerDomain windows measured per domain
 * @param measuredAt when {@code eval} ran; null in a report written before it recorded that
 * @param heldOut the losses
 */
public record HeldOutReport(String model, String recipe, int window, int windowsPerDomain, Instant measuredAt,
        HeldOutLosses heldOut) {

    /** The file name in a model folder. */
    public static final String FILE = "eval-report.json";

    public HeldOutReport {
        if (heldOut == null) {
            throw new IllegalArgumentException("an eval report needs its held_out losses");
        }
    }

    /**
     * @param natsPerToken mean loss over every evaluated position of every domain
     * @param domains per domain, in recipe order
     */
    public record HeldOutLosses(double natsPerToken, List<HeldOutDomain> domains) {

        public HeldOutLosses {
            domains = List.copyOf(domains);
        }
    }

    /**
     * One domain's held-out loss.
     *
     * @param windows windows evaluated
     * @param tokens predicted positions evaluated
     * @param natsPerToken mean next-token cross-entropy in nats
     * @param bitsPerByte the mean loss scaled to the domain's whole held-out stream, in bits per UTF-8 byte
     */
    public record HeldOutDomain(String domain, int windows, long tokens, double natsPerToken, double bitsPerByte) {}
}
