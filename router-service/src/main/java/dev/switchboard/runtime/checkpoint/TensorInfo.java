package dev.switchboard.runtime.checkpoint;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of an opened checkpoint, as its safetensors header describes it.
 *
 * @param name Hugging Face parameter name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype element type as stored on disk
 * @param shape dimensions as stored ({@code [out_features, in_features]} for linear layers); copied on the way in and out
 * @param file the safetensors file holding the bytes
 */
public record TensorInfo(String name, TensorDtype dtype, long[] shape, Path file) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(file, "file");
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements (product of the shape). */
    public long elementCount() {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return count;
    }

    /** Bytes on disk: elements times the dtype's size. */
    public long byteSize() {
        return elementCount() * dtype.byteSize();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && file.equals(that.file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), file);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " in " + file.getFileName();
    }
}
