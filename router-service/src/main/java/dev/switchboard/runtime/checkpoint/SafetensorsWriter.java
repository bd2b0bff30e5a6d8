package dev.switchboard.runtime.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes float tensors as one {@code .safetensors} file (F32 or BF16), in insertion order. The file is written
 * next to its target and moved into place, so a reader never sees half a checkpoint. Tensors can be given as
 * values or as a supplier called once while writing, so a checkpoint larger than the heap can be written one
 * tensor at a time.
 */
public final class SafetensorsWriter {

    /** One tensor: its shape and its row-major values, produced when the file is written. */
    private record Entry(long[] shape, long count, Supplier<float[]> values) {}

    private final TensorDtype dtype;
    private final Map<String, Entry> tensors = new LinkedHashMap<>();

    /** @param dtype {@link TensorDtype#F32} or {@link TensorDtype#BF16} (rounded to nearest even) */
    public SafetensorsWriter(TensorDtype dtype) {
        if (dtype != TensorDtype.F32 && dtype != TensorDtype.BF16) {
            throw new IllegalArgumentException("can write F32 or BF16 tensors, not " + dtype);
        }
        this.dtype = dtype;
    }

    public SafetensorsWriter add(String name, long[] shape, float[] values) {
        requireCount(name, count(shape), values.length);
        return add(name, shape, () -> values);
    }

    /** A tensor whose values {@code values} produces during {@link #write}, once, in insertion order. */
    public SafetensorsWriter add(String name, long[] shape, Supplier<float[]> values) {
        if (tensors.putIfAbsent(name, new Entry(shape.clone(), count(shape), values)) != null) {
            throw new IllegalArgumentException(name + ": added twice");
        }
        return this;
    }

    public void write(Path file) {
        int width = dtype == TensorDtype.F32 ? 4 : 2;
        JsonObject header = new JsonObject();
        long offset = 0;
        for (Map.Entry<String, Entry> tensor : tensors.entrySet()) {
            JsonObject info = new JsonObject();
            info.addProperty("dtype", dtype.name());
            JsonArray shape = new JsonArray();
            for (long dim : tensor.getValue().shape()) {
                shape.add(dim);
            }
            info.add("shape", shape);
            long end = offset + tensor.getValue().count() * width;
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(end);
            info.add("data_offsets", offsets);
            header.add(tensor.getKey(), info);
            offset = end;
        }
        byte[] headerBytes = paddedHeader(header.toString());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
            out.write(length.array());
            out.write(headerBytes);
            for (Map.Entry<String, Entry> tensor : tensors.entrySet()) {
                float[] values = tensor.getValue().values().get();
                requireCount(tensor.getKey(), tensor.getValue().count(), values.length);
                out.write(encode(values, width));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write safetensors", e);
        }
        try {
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot move the written safetensors into place", e);
        }
    }

    private static long count(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return count;
    }

    private static void requireCount(String name, long count, int values) {
        if (count != values) {
            throw new IllegalArgumentException(name + ": shape holds " + count + " values, got " + values);
        }
    }

    /** The header padded with spaces to a multiple of 8 bytes, so the data that follows is aligned. */
    private static byte[] paddedHeader(String json) {
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(raw, 0, out, 0, raw.length);
        for (int i = raw.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    private static byte[] encode(float[] values, int width) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            if (width == 4) {
                buffer.putFloat(value);
            } else {
                buffer.putShort(toBfloat16(value));
            }
        }
        return buffer.array();
    }

    /** Round to nearest even on the 16 dropped mantissa bits; NaN stays NaN. */
    static short toBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
