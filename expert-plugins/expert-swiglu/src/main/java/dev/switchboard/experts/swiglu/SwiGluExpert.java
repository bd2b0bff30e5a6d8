package dev.switchboard.experts.swiglu;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import dev.switchboard.kernels.SwiGluKernel;
import dev.switchboard.kernels.WeightRows;
import dev.switchboard.spi.Expert;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One SwiGLU expert: {@code y = w2(silu(w1·x) ⊙ w3·x)} (Shazeer 2020, "GLU Variants Improve Transformer";
 * Mixtral's expert). Holds its three weights as {@code (dFf, dModel)} (w1 and w3 as stored, w2 transposed) in a
 * manager it owns; immutable after construction, so {@link #forward} is thread-safe.
 *
 * <p>Two paths over the same memory: up to {@link #KERNEL_MAX_TOKENS} tokens on a CPU with the Vector API, the
 * Java kernel (both cores, every weight read once: decode is a matrix-vector product, where PyTorch's CPU gemv
 * streams at about half the machine's bandwidth); otherwise PyTorch's matmul (prefill, GPU, float16, and inputs that record gradients).
 */
final class SwiGluExpert implements Expert {

    /** Above this many tokens the kernel's arithmetic, not memory, is the limit, and PyTorch's GEMM is faster. */
    static final int KERNEL_MAX_TOKENS = 8;

    private final NDManager manager;
    private final NDArray w1; // (dFf, dModel)
    private final NDArray w3; // (dFf, dModel)
    private final NDArray w2Transposed; // (dFf, dModel)
    private final NDArray w1View; // (dModel, dFf), a view of w1
    private final NDArray w3View; // (dModel, dFf), a view of w3
    private final SwiGluKernel kernel; // null when the kernel cannot run here
    private final AtomicBoolean closed = new AtomicBoolean();

    SwiGluExpert(NDManager manager, NDArray w1, NDArray w3, NDArray w2Transposed, boolean kernelAllowed) {
        this.manager = manager;
        this.w1 = w1;
        this.w3 = w3;
        this.w2Transposed = w2Transposed;
        this.w1View = w1.transpose();
        this.w3View = w3.transpose();
        w1View.attach(manager);
        w3View.attach(manager);
        this.kernel = kernelAllowed ? kernelOrNull(w1, w3, w2Transposed) : null;
    }

    /** The kernel reads the tensors' own memory (no copy): CPU and float32 (the Vector API checked by the kind). */
    private static SwiGluKernel kernelOrNull(NDArray w1, NDArray w3, NDArray w2Transposed) {
        if (!w1.getDevice().equals(Device.cpu()) || w1.getDataType() != DataType.FLOAT32) {
            return null;
        }
        int rows = Math.toIntExact(w1.getShape().get(0));
        int columns = Math.toIntExact(w1.getShape().get(1));
        return new SwiGluKernel(
                WeightRows.float32(w1.toByteBuffer(true), rows, columns),
                WeightRows.float32(w3.toByteBuffer(true), rows, columns),
                WeightRows.float32(w2Transposed.toByteBuffer(true), rows, columns));
    }

    @Override
    public NDArray forward(NDArray tokens) {
        if (closed.get()) {
            throw new IllegalStateException("swiglu expert used after close()");
        }
        long n = tokens.getShape().get(0);
        if (kernel != null && n <= KERNEL_MAX_TOKENS && tokens.getDataType() == DataType.FLOAT32 && !tokens.hasGradient()) {
            float[] y = kernel.forward(tokens.toFloatArray(), (int) n);
            return tokens.getManager().create(y, tokens.getShape());
        }
        // Every result is created by an op whose first operand is `tokens` (or derived from it), so it
        // lands in the caller's manager; intermediates are closed as soon as they are used.
        try (NDArray gate = tokens.matMul(w1View); // (n, dFf)
                NDArray up = tokens.matMul(w3View); // (n, dFf)
                NDArray sigmoid = Activation.sigmoid(gate); // (n, dFf)
                NDArray hidden = gate.mul(sigmoid).muli(up)) { // (n, dFf) silu(w1·x) ⊙ w3·x
            return hidden.matMul(w2Transposed); // (n, dModel)
        }
    }

    /** Whether decode runs on the Java kernel (for tests and the expert table's description). */
    boolean usesKernel() {
        return kernel != null;
    }

    @Override
    public long parameterCount() {
        return w1.size() + w3.size() + w2Transposed.size();
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
