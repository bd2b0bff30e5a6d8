package dev.switchboard.experts.int8;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertSpec;

/**
 * One {@code int8-swiglu} expert: {@code y = (silu(x·W1ᵀ) ⊙ x·W3ᵀ) · W2ᵀ} with each {@code W} dequantised
 * from int8 during the call. Immutable after construction.
 */
final class Int8SwigluExpert implements Expert {

    private final NDManager manager;
    private final Int8Rows w1; // gate projection, (dModel -> dFf)
    private final Int8Rows w2; // down projection, (dFf -> dModel)
    private final Int8Rows w3; // up projection, (dModel -> dFf)
    private final long parameters;
    private volatile boolean closed;

    Int8SwigluExpert(ExpertSpec spec, NDArray w1, NDArray w2, NDArray w3) {
        manager = NDManager.newBaseManager(spec.device());
        try {
            this.w1 = Int8Rows.quantise(w1, spec.dataType(), manager);
            this.w2 = Int8Rows.quantise(w2, spec.dataType(), manager);
            this.w3 = Int8Rows.quantise(w3, spec.dataType(), manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        parameters = w1.size() + w2.size() + w3.size();
    }

    @Override
    public NDArray forward(NDArray tokens) { // (n, dModel)
        if (closed) {
            throw new IllegalStateException("int8-swiglu expert used after close()");
        }
        try (NDArray gate = w1.multiply(tokens); // (n, dFf)
                NDArray up = w3.multiply(tokens); // (n, dFf)
                NDArray hidden = Activation.sigmoid(gate)) { // (n, dFf)
            hidden.muli(gate).muli(up); // silu(gate) ⊙ up, (n, dFf)
            return w2.multiply(hidden); // (n, dModel)
        }
    }

    @Override
    public long parameterCount() {
        return parameters;
    }

    @Override
    public long memoryBytes() {
        return w1.memoryBytes() + w2.memoryBytes() + w3.memoryBytes();
    }

    @Override
    public void close() {
        closed = true;
        manager.close();
    }
}
