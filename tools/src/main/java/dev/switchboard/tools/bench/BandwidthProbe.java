package dev.switchboard.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Measures the memory read bandwidth that batch-1 decode can use, with the operation decode is made
 * of: a vector times a large float32 matrix (PyTorch's gemv reads every weight once). The matrix is
 * much larger than the caches, so time ≈ bytes / bandwidth.
 */
final class BandwidthProbe {

    private static final int ROWS = 8192;
    private static final int COLUMNS = 16384; // 8192 x 16384 float32 = 512 MiB

    private BandwidthProbe() {}

    /** Bytes read per second, best of a few medians. */
    static double bytesPerSecond() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray matrix = manager.randomUniform(-1, 1, new Shape(ROWS, COLUMNS), DataType.FLOAT32); // (rows, columns)
            NDArray vector = manager.randomUniform(-1, 1, new Shape(1, ROWS), DataType.FLOAT32); // (1, rows)
            double nanos = Timing.medianNanos(15, () -> {
                try (NDArray product = vector.matMul(matrix)) { // (1, columns)
                    product.toFloatArray(); // forces completion
                }
            });
            return (double) ROWS * COLUMNS * Float.BYTES / (nanos / 1e9);
        }
    }
}
