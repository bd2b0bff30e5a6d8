package dev.switchboard.runtime.model;

/**
 * What a forward step reports besides the last-position logits.
 *
 * @param trace record, per new token and MoE layer, the chosen experts and their routing weights
 * @param fullDistribution with {@code trace}: also record the full router distribution per token and layer
 * @param allLogits return logits for every new token, not only each input's last one
 */
public record ForwardOptions(boolean trace, boolean fullDistribution, boolean allLogits) {

    /** Last-position logits only; the cheap default for serving. */
    public static final ForwardOptions DEFAULT = new ForwardOptions(false, false, false);

    /** Last-position logits and the routing trace (experts and weights). */
    public static final ForwardOptions TRACE = new ForwardOptions(true, false, false);

    public ForwardOptions {
        if (fullDistribution && !trace) {
            throw new IllegalArgumentException("fullDistribution adds router probabilities to the trace; set trace too");
        }
    }
}
