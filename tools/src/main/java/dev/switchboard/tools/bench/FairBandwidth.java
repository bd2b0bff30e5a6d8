package dev.switchboard.tools.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.kernels.MatrixVector;
import dev.switchboard.kernels.ParallelChunks;
import dev.switchboard.kernels.VectorKernels;
import dev.switchboard.kernels.WeightRows;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine's read bandwidth for batch-1 decode, measured on the same 512 MiB float32 matrix (far larger than
 * the caches) by every method this build has, so the bound does not depend on the engine under test: PyTorch's
 * gemv through DJL (one call, PyTorch's threads), and the Java Vector API product split across all cores
 * ({@code cpu-kernels}, what the experts use). The bound is the fastest of them: a decode step cannot read its
 * weights faster than the fastest read this machine was shown to do. On a GPU the matrix lives in device memory and
 * only PyTorch's gemv runs (the Java kernels are CPU-only), so the bound is the device's.
 */
final class FairBandwidth {

    private static final int ROWS = 8192;
    private static final int COLUMNS = 16384; // 8192 x 16384 float32 = 512 MiB
    private static final int REPETITIONS = 15;

    /** Bytes per second by method name, in the order measured, and the best of them. */
    record Result(Map<String, Double> byMethod, double best) {}

    private FairBandwidth() {}

    static Result measure(Device device) {
        Map<String, Double> byMethod = new LinkedHashMap<>();
        double bytes = (double) ROWS * COLUMNS * Float.BYTES;
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray matrix = manager.randomUniform(-1, 1, new Shape(ROWS, COLUMNS), DataType.FLOAT32); // (rows, columns)
            NDArray vector = manager.randomUniform(-1, 1, new Shape(1, ROWS), DataType.FLOAT32); // (1, rows)
            double pytorch = Timing.medianNanos(REPETITIONS, () -> {
                try (NDArray product = vector.matMul(matrix)) { // (1, columns)
                    product.toFloatArray(); // forces completion (on a GPU, waits for the device)
                }
            });
            byMethod.put("PyTorch gemv (DJL) on " + device, bytes / (pytorch / 1e9));
            if (VectorKernels.available() && device.equals(Device.cpu())) {
                WeightRows rows = WeightRows.float32(matrix.toByteBuffer(true), ROWS, COLUMNS); // the same memory
                float[] x = new float[COLUMNS];
                java.util.Arrays.fill(x, 1f);
                double java = Timing.medianNanos(REPETITIONS, () -> MatrixVector.rowsDot(rows, x));
                byMethod.put("Java Vector API gemv, " + ParallelChunks.threads() + " threads", bytes / (java / 1e9));
            }
        }
        double best = byMethod.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return new Result(byMethod, best);
    }
}
