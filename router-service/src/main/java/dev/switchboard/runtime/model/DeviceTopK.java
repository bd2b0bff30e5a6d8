package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.runtime.routing.RoutingContext;
import dev.switchboard.runtime.routing.RoutingDecision;
import dev.switchboard.runtime.routing.TopKRouting;

/**
 * {@link TopKRouting} computed where the router logits are, on the model's device
 * (docs/adr/0008-routing-decisions-on-the-device.md): masked softmax, k passes of an argmax over
 * {@code p_e + bias_e}, the unbiased probabilities gathered at the chosen experts and, with {@code norm_topk_prob},
 * renormalised. Only the decision crosses to the host, as one {@code (tokens, 2k)} float copy (k expert ids, exact
 * in float32, then k weights); the quantities the per-request statistics need from each token's full row (its
 * probabilities, entropy and squared log-sum-exp) are summed per sequence on the device and stay there until the
 * step's one statistics copy ({@link DeviceRoutingSums}).
 *
 * <p>Every op takes tensors only: no Java number becomes a device tensor (on a GPU that would be a blocking copy), the
 * −∞ that removes a chosen expert from the next pass is {@code log(0)} of a device zero. The disabled experts and the
 * selection bias are one {@code (2, numExperts)} upload per layer, made only when the layer has either.
 *
 * <p>Same selection as the host: {@code torch.argmax} returns the first of equal maxima, so ties go to the lower
 * expert index and the experts are listed best first, as in {@link TopKRouting}. The host computes the softmax in
 * double and rounds it to float32, the device in float32; two experts whose scores differ by an ulp or less may
 * therefore be ordered differently (the weights agree within about 1e-7).
 */
final class DeviceTopK {

    private final TopKRouting routing;
    private final HostCopy hostCopy;

    DeviceTopK(TopKRouting routing, HostCopy hostCopy) {
        this.routing = routing;
        this.hostCopy = hostCopy;
    }

    /** What routing one layer on the device gives: the decision on the host, the per-sequence sums on the device. */
    record Routed(RoutingDecision decision, NDArray sums) {}

    /**
     * @param gateLogits {@code (tokens, numExperts)} router logits on the device, in the working type
     * @param context the layer's disabled experts and selection bias
     * @param sequences the step's rows per sequence, to sum the statistics' quantities per sequence
     * @return the decision (its probabilities stay on the device: {@link RoutingDecision#hasProbabilities()} is false)
     *     and the sums {@code (sequences, numExperts + 2)}: per expert Σ p, then Σ entropy, then Σ logsumexp²
     */
    Routed route(NDArray gateLogits, RoutingContext context, SequenceRows sequences) {
        int tokens = Math.toIntExact(gateLogits.getShape().get(0));
        int numExperts = Math.toIntExact(gateLogits.getShape().get(1));
        int k = routing.expertsPerToken(numExperts, context);
        NDArray logits = gateLogits.getDataType() == DataType.FLOAT32 ? gateLogits
                : gateLogits.toType(DataType.FLOAT32, false); // the host router's precision
        NDArray rows = selectionRows(context, numExperts, logits); // (2, numExperts): 0/−∞ mask, mask + bias; null without either
        NDArray probabilities = (rows == null ? logits : logits.add(rows.get(0))).softmax(-1); // (tokens, numExperts)
        NDArray score = rows == null ? probabilities : probabilities.add(rows.get(1));
        NDArray negativeInfinity = probabilities.zerosLike().log(); // −∞ on the device, no upload
        NDList chosen = new NDList(k);
        for (int i = 0; i < k; i++) {
            NDArray best = score.argMax(1); // (tokens): the first maximum, so ties go to the lower expert
            chosen.add(best.expandDims(1));
            if (i + 1 < k) {
                NDArray taken = best.oneHot(numExperts, DataType.BOOLEAN); // (tokens, numExperts)
                score = NDArrays.where(taken, negativeInfinity, score);
            }
        }
        NDArray experts = chosen.size() == 1 ? chosen.get(0) : NDArrays.concat(chosen, 1); // (tokens, k), int64
        NDArray weights = probabilities.gather(experts, 1); // (tokens, k): from the UNBIASED probabilities
        if (routing.normTopkProb()) {
            weights = weights.div(weights.sum(new int[] {1}, true));
        }
        float[] packed = hostCopy.toHost(experts.toType(DataType.FLOAT32, false).concat(weights, 1)); // the one copy
        return new Routed(decision(packed, tokens, numExperts, k), sequences.sum(perTokenQuantities(logits, probabilities)));
    }

    /** {@code (tokens, numExperts + 2)}: the probabilities, the entropy −Σ p ln p, and logsumexp(raw logits)². */
    private static NDArray perTokenQuantities(NDArray logits, NDArray probabilities) {
        // p · ln max(p, MIN_NORMAL): 0 where p = 0 (a disabled expert), as the host's "0 · ln 0 = 0"
        NDArray entropy = probabilities.mul(probabilities.clip(Float.MIN_NORMAL, 1f).log()).sum(new int[] {1}, true).neg();
        NDArray max = logits.max(new int[] {1}, true);
        NDArray logSumExp = logits.sub(max).exp().sum(new int[] {1}, true).log().add(max); // z-loss: disabled included
        return NDArrays.concat(new NDList(probabilities, entropy, logSumExp.mul(logSumExp)), 1);
    }

    /** The host's CSR decision from the copied ids and weights; NaN weights mean the logits were not finite. */
    private static RoutingDecision decision(float[] packed, int tokens, int numExperts, int k) {
        int[] offsets = new int[tokens + 1];
        int[] experts = new int[tokens * k];
        float[] weights = new float[tokens * k];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < k; i++) {
                experts[t * k + i] = (int) packed[t * 2 * k + i];
                float weight = packed[t * 2 * k + k + i];
                if (!Float.isFinite(weight)) {
                    throw new IllegalArgumentException("router of token " + t + " gave weight " + weight
                            + ": its gate logits must be finite or -Infinity");
                }
                weights[t * k + i] = weight;
            }
            offsets[t + 1] = (t + 1) * k;
        }
        return new RoutingDecision(tokens, numExperts, offsets, experts, weights, new float[0], 0);
    }

    /**
     * {@code (2, numExperts)} on the device: row 0 is 0 for an enabled and −∞ for a disabled expert (added to the
     * logits before the softmax), row 1 the same plus the selection bias (added to the probabilities to select);
     * {@code null} when the layer has neither, so the common step uploads nothing.
     */
    private static NDArray selectionRows(RoutingContext context, int numExperts, NDArray like) {
        float[] rows = new float[2 * numExperts];
        boolean any = false;
        for (int e = 0; e < numExperts; e++) {
            float mask = context.isDisabled(e) ? Float.NEGATIVE_INFINITY : 0f;
            rows[e] = mask;
            rows[numExperts + e] = mask + context.bias(e);
            any |= context.isDisabled(e) || context.bias(e) != 0f;
        }
        return any ? like.getManager().create(rows, new Shape(2, numExperts)) : null;
    }
}
