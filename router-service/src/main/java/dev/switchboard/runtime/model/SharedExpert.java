package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.switchboard.spi.Expert;

/**
 * Qwen2-MoE's shared expert (HF {@code Qwen2MoeSparseMoeBlock}): every token of a sparse layer also runs it, weighted
 * by its own sigmoid gate, {@code y += sigmoid(x·g) · E_shared(x)}, independently of the routing. It is part of the
 * model's weights, not of the routed {@link ExpertTable}: the router never chooses it and the expert lifecycle cannot
 * disable, replace or remove it.
 */
final class SharedExpert implements AutoCloseable {

    private final Expert expert;
    private final NDArray gate; // (hidden, 1): shared_expert_gate transposed

    SharedExpert(Expert expert, NDArray gate) {
        this.expert = expert;
        this.gate = gate;
    }

    /** {@code x (tokens, hidden)} -> {@code sigmoid(x·g) · E_shared(x)} {@code (tokens, hidden)}. */
    NDArray apply(NDArray x) {
        NDArray weight = Activation.sigmoid(x.matMul(gate)); // (tokens, 1)
        return expert.forward(x).mul(weight); // (tokens, hidden)
    }

    /** The expert's inner width and kind, for the model's description. */
    Expert expert() {
        return expert;
    }

    @Override
    public void close() {
        expert.close();
    }
}
