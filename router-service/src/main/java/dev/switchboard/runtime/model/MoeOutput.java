package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import dev.switchboard.runtime.routing.RoutingDecision;

/**
 * One MoE layer's result for a step.
 *
 * @param output {@code (tokens, hidden)} weighted sum of the chosen experts' outputs; null when the layer ran on the
 *     host decode path ({@link MoeLayer#forwardOnHost}), whose output is a Java array
 * @param decision the routing that produced it (after any fault re-routing)
 * @param gateLogits row-major {@code (tokens, numExperts)} router logits, float32 on the host; null when the layer
 *     was routed on the device ({@link DeviceTopK}), whose logits never crossed
 * @param gateLogitsArray the same logits on the device, in the working type (training's router losses); null on the
 *     host decode path
 * @param routingSums with device routing, {@code (sequences, numExperts + 2)} on the device: per sequence of the
 *     step, Σ p per expert, Σ entropy, Σ logsumexp² (what the statistics need from the rows); null otherwise
 */
record MoeOutput(NDArray output, RoutingDecision decision, float[] gateLogits, NDArray gateLogitsArray,
        NDArray routingSums) {}
