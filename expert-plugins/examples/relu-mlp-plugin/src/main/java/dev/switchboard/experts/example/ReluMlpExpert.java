package dev.switchboard.experts.example;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertSpec;

/**
 * One {@code relu-mlp} expert. Owns its weights in its own {@link NDManager}, closed by {@link #close()}:
 * a plugin must free its native memory there, or unloading leaks it.
 */
final class ReluMlpExpert implements Expert {

    private final NDManager manager;
    private final NDArray w1t; // (dModel, dFf)
    private final NDArray w2t; // (dFf, dModel)
    private volatile boolean closed;

    ReluMlpExpert(ExpertSpec spec, NDArray w1, NDArray w2) {
        manager = NDManager.newBaseManager(spec.device());
        try {
            w1t = own(w1).transpose(); // (dModel, dFf)
            w2t = own(w2).transpose(); // (dFf, dModel)
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private NDArray own(NDArray weight) {
        NDArray copy = weight.duplicate();
        copy.attach(manager);
        return copy;
    }

    @Override
    public NDArray forward(NDArray tokens) { // (n, dModel)
        if (closed) {
            throw new IllegalStateException("relu-mlp expert used after close()");
        }
        // tokens is the left operand, so every result belongs to the caller's manager, never to ours
        try (NDArray hidden = tokens.matMul(w1t); // (n, dFf)
                NDArray activated = Activation.relu(hidden)) { // (n, dFf)
            return activated.matMul(w2t); // (n, dModel)
        }
    }

    @Override
    public long parameterCount() {
        return w1t.size() + w2t.size();
    }

    @Override
    public long memoryBytes() {
        return parameterCount() * w1t.getDataType().getNumOfBytes();
    }

    @Override
    public void close() {
        closed = true;
        manager.close();
    }
}
