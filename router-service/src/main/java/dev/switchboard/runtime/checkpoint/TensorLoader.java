package dev.switchboard.runtime.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;

/**
 * Turns a tensor's stored bytes into an NDArray of the working type that owns its memory.
 *
 * <p>F32 and F16 go through {@code manager.create(directBuffer, ...)}, which for PyTorch wraps the
 * mapped bytes without a copy ({@code torch::from_blob}); the result is then cloned or cast by torch so
 * that it never aliases the read-only mapping (an in-place op on such an alias would crash the JVM, and
 * the mapping is released when the checkpoint closes). BF16 is widened in Java because DJL's BFLOAT16
 * aborts the JVM (CONTRIBUTING.md#trap-bf16).
 */
final class TensorLoader {

    /**
     * Upper bound of the F32 staging buffer for one BF16 block. One block covers every tensor of a
     * Mixtral-8x7B-sized model; larger tensors are widened in row blocks and concatenated.
     */
    static final long DEFAULT_BLOCK_BYTES = 512L << 20;

    private TensorLoader() {}

    static NDArray load(ByteBuffer bytes, TensorInfo info, NDManager manager, DataType workingType) {
        return load(bytes, info, manager, workingType, DEFAULT_BLOCK_BYTES);
    }

    /** As {@link #load(ByteBuffer, TensorInfo, NDManager, DataType)} with a chosen BF16 block size (tests). */
    static NDArray load(ByteBuffer bytes, TensorInfo info, NDManager manager, DataType workingType, long blockBytes) {
        if (workingType != DataType.FLOAT32 && workingType != DataType.FLOAT16) {
            throw new IllegalArgumentException(
                    "working type must be FLOAT32 or FLOAT16, was " + workingType + " (loading " + info.name() + ")");
        }
        Shape shape = new Shape(info.shape());
        if (info.elementCount() == 0) {
            return manager.zeros(shape, workingType);
        }
        return switch (info.dtype()) {
            case F32 -> castOwned(bytes, shape, DataType.FLOAT32, manager, workingType);
            case F16 -> castOwned(bytes, shape, DataType.FLOAT16, manager, workingType);
            case BF16 -> widenBf16(bytes, info.shape(), manager, workingType, blockBytes);
        };
    }

    /**
     * {@code duplicate()} for the same type: DJL 0.35.1's {@code toType(sameType, true)} was measured to
     * return a tensor that still shares the source buffer, despite {@code copy = true}.
     */
    private static NDArray castOwned(
            ByteBuffer bytes, Shape shape, DataType stored, NDManager manager, DataType workingType) {
        try (NDArray alias = manager.create(bytes, shape, stored)) {
            return stored == workingType ? alias.duplicate() : alias.toType(workingType, true);
        }
    }

    /**
     * bf16 is the top half of an f32, so shifting the 16 bits up is exact (NaN and infinities included).
     * Widened in Java into a direct staging buffer, then copied or cast by torch into owned memory. (Not
     * chunk-wise into a preallocated NDArray: DJL's {@code NDArray.set(NDIndex, NDArray)} measured about
     * 0.2 GB/s here, against several GB/s for a whole-tensor copy.)
     */
    private static NDArray widenBf16(
            ByteBuffer bytes, long[] shape, NDManager manager, DataType workingType, long blockBytes) {
        long rows = shape.length == 0 ? 1 : shape[0];
        long rowElements = shape.length == 0 ? 1 : new Shape(shape).size() / rows;
        long rowsPerBlock = Math.max(1, Math.min(rows, blockBytes / (rowElements * Float.BYTES)));
        if (rowsPerBlock * rowElements * Float.BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a row of " + rowElements + " elements is too large to widen from BF16");
        }
        ByteBuffer staging = ByteBuffer.allocateDirect(Math.toIntExact(rowsPerBlock * rowElements * Float.BYTES))
                .order(ByteOrder.nativeOrder());
        ShortBuffer source = bytes.order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        NDList blocks = new NDList();
        try {
            for (long row = 0; row < rows; row += rowsPerBlock) {
                long blockRows = Math.min(rowsPerBlock, rows - row);
                long[] blockShape = shape.length == 0 ? shape : shape.clone();
                if (shape.length > 0) {
                    blockShape[0] = blockRows;
                }
                widenInto(source, staging, Math.toIntExact(blockRows * rowElements));
                try (NDArray alias = manager.create(staging, new Shape(blockShape), DataType.FLOAT32)) {
                    blocks.add(workingType == DataType.FLOAT32 ? alias.duplicate() : alias.toType(workingType, true));
                }
            }
            return blocks.size() == 1 ? blocks.get(0) : concatAndClose(blocks);
        } catch (RuntimeException e) {
            blocks.close();
            throw e;
        } finally {
            DirectBuffers.free(staging);
        }
    }

    /** Reads {@code count} bf16 values from {@code source} into {@code staging} as f32 bits; bulk copies, one shift loop. */
    private static void widenInto(ShortBuffer source, ByteBuffer staging, int count) {
        short[] halves = new short[Math.min(count, 1 << 16)];
        int[] words = new int[halves.length];
        IntBuffer target = staging.clear().limit(count * Float.BYTES).asIntBuffer();
        for (int done = 0; done < count; done += halves.length) {
            int length = Math.min(halves.length, count - done);
            source.get(halves, 0, length);
            for (int i = 0; i < length; i++) {
                words[i] = (halves[i] & 0xffff) << 16;
            }
            target.put(words, 0, length);
        }
    }

    private static NDArray concatAndClose(NDList blocks) {
        try (blocks) {
            return NDArrays.concat(blocks, 0);
        }
    }
}
