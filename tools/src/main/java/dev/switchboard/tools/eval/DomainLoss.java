package dev.switchboard.tools.eval;

/**
 * Held-out cross-entropy of one domain's windows.
 *
 * @param natsSum summed next-token cross-entropy over the evaluated positions
 * @param positions evaluated (predicted) positions
 * @param streamTokens predicted positions of the domain's whole held-out stream
 * @param streamBytes UTF-8 bytes of the domain's held-out documents
 */
public record DomainLoss(String domain, int windows, double natsSum, long positions, long streamTokens, long streamBytes) {

    public double natsPerToken() {
        return positions == 0 ? 0 : natsSum / positions;
    }

    /**
     * Bits per byte: the mean loss scaled to the whole held-out stream (nats/token × its predicted tokens), in bits,
     * over its bytes. Tokenizers differ in bytes per token; bits per byte compares models across them.
     */
    public double bitsPerByte() {
        return streamBytes == 0 ? 0 : natsPerToken() * streamTokens / streamBytes / Math.log(2);
    }
}
