package dev.switchboard.experts.swiglu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.switchboard.spi.Expert;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One SwiGLU expert: {@code y = w2(silu(w1·x) ⊙ w3·x)} (Shazeer 2020, "GLU Variants Improve
 * Transformer"; Mixtral's expert). Holds its weights pre-transposed ({@code x.matMul(w)} is one call)
 * in a manager it owns; immutable after construction, so {@link #forward} is thread-safe.
 */
final class SwiGluExpert implements Expert {

    private final NDManager manager;
    private final NDArray w1; // (dModel, dFf)
    private final NDArray w3; // (dModel, dFf)
    private final NDArray w2; // (dFf, dModel)
    private final AtomicBoolean closed = new AtomicBoolean();

    SwiGluExpert(NDManager manager, NDArray w1, NDArray w3, NDArray w2) {
        this.manager = manager;
        this.w1 = w1;
        this.w3 = w3;
        this.w2 = w2;
    }

    @Override
    public NDArray forward(NDArray tokens) {
        // Every result is created by an op whose first operand is `tokens` (or derived from it), so it
        // lands in the caller's manager; intermediates are closed as soon as they are used.
        try (NDArray gate = tokens.matMul(w1); // (n, dFf)
                NDArray up = tokens.matMul(w3); // (n, dFf)
                NDArray sigmoid = Activation.sigmoid(gate); // (n, dFf)
                NDArray hidden = gate.mul(sigmoid).muli(up)) { // (n, dFf) silu(w1·x) ⊙ w3·x
            return hidden.matMul(w2); // (n, dModel)
        }
    }

    @Override
    public long parameterCount() {
        return w1.size() + w3.size() + w2.size();
    }

    @Override
    public long memoryBytes() {
        return parameterCount() * w1.getDataType().getNumOfBytes();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            manager.close();
        }
    }

    boolean isClosed() {
        return closed.get() || !manager.isOpen();
    }
}
