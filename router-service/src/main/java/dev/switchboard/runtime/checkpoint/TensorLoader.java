package dev.switchboard.runtime.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
 * the mapping is released when the checkpoint closes). BF16 is widened in Java, chunk by chunk, because
 * DJL's BFLOAT16 aborts the JVM (see PITFALLS.md).
 */
final class TensorLoader {

    /** Elements per BF16 conversion chunk: 4 MiB of F32, small next to any real weight matrix. */
    static final int CHUNK_ELEMENTS = 1 << 20;

    private TensorLoader() {}

    static NDArray load(ByteBuffer bytes, TensorInfo info, NDManager manager, DataType workingType) {
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
            case BF16 -> widenBf16(bytes, shape, manager, workingType);
        };
    }

    private static NDArray castOwned(
            ByteBuffer bytes, Shape shape, DataType stored, NDManager manager, DataType workingType) {
        try (NDArray alias = manager.create(bytes, shape, stored)) {
            return stored == workingType ? alias.duplicate() : alias.toType(workingType, true);
        }
    }

    /** bf16 is the top half of an f32: shifting the 16 bits up is exact, including NaN and infinities. */
    private static NDArray widenBf16(ByteBuffer bytes, Shape shape, NDManager manager, DataType workingType) {
        long count = shape.size();
        ShortBuffer source = bytes.order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        int chunk = (int) Math.min(count, CHUNK_ELEMENTS);
        ByteBuffer staging = ByteBuffer.allocateDirect(chunk * Float.BYTES).order(ByteOrder.nativeOrder());
        IntBuffer stagingBits = staging.asIntBuffer();
        short[] halves = new short[chunk];
        int[] words = new int[chunk];
        NDArray flat = manager.create(new Shape(count), workingType); // (count) uninitialised
        try {
            for (long start = 0; start < count; start += chunk) {
                int length = (int) Math.min(chunk, count - start);
                source.get(halves, 0, length);
                for (int i = 0; i < length; i++) {
                    words[i] = (halves[i] & 0xffff) << 16;
                }
                stagingBits.clear();
                stagingBits.put(words, 0, length);
                staging.clear().limit(length * Float.BYTES);
                try (NDArray part = manager.create(staging, new Shape(length), DataType.FLOAT32);
                        NDArray converted = part.toType(workingType, true)) {
                    flat.set(new NDIndex("{}:{}", start, start + length), converted);
                }
            }
            NDArray shaped = flat.reshape(shape);
            flat.close();
            return shaped;
        } catch (RuntimeException e) {
            flat.close();
            throw e;
        }
    }
}
