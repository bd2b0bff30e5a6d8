package dev.switchboard.experts.gelu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertSpec;

/** One {@code gelu-mlp} expert: {@code y = gelu(x · w1ᵀ) · w2ᵀ}. Immutable after construction. */
final class GeluMlpExpert implements Expert {

    private final NDManager manager;
    // Stored transposed ([in, out]) so forward is x·W with the tokens as the left operand: every result
    // then belongs to the caller's manager, never to ours.
    private final NDArray w1t; // (dModel, dFf)
    private final NDArray w2t; // (dFf, dModel)
    private final long parameters;
    private volatile boolean closed;

    GeluMlpExpert(ExpertSpec spec, NDArray w1, NDArray w2) {
        manager = NDManager.newBaseManager(spec.device());
        try {
            w1t = own(w1).transpose(); // (dModel, dFf)
            w2t = own(w2).transpose(); // (dFf, dModel)
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        parameters = w1.size() + w2.size();
    }

    private NDArray own(NDArray weight) {
        NDArray copy = weight.duplicate();
        copy.attach(manager);
        return copy;
    }

    @Override
    public NDArray forward(NDArray tokens) { // (n, dModel)
        if (closed) {
            throw new IllegalStateException("gelu-mlp expert used after close()");
        }
        try (NDArray hidden = tokens.matMul(w1t); // (n, dFf)
                NDArray activated = Activation.gelu(hidden)) { // (n, dFf)
            return activated.matMul(w2t); // (n, dModel)
        }
    }

    @Override
    public long parameterCount() {
        return parameters;
    }

    @Override
    public long memoryBytes() {
        return (w1t.size() + w2t.size()) * w1t.getDataType().getNumOfBytes();
    }

    @Override
    public void close() {
        closed = true;
        manager.close();
    }
}
