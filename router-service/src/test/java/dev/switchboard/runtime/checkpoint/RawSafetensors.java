package dev.switchboard.runtime.checkpoint;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A deliberately naive safetensors reader for tests (whole file into the heap, no validation), so that
 * values loaded by {@link Checkpoint} are compared with an independent decoding of the same bytes.
 */
final class RawSafetensors {

    final ByteBuffer bytes;
    final JsonObject header;
    final long dataStart;

    private RawSafetensors(ByteBuffer bytes, JsonObject header, long dataStart) {
        this.bytes = bytes;
        this.header = header;
        this.dataStart = dataStart;
    }

    static RawSafetensors read(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) bytes.getLong(0);
        String json = new String(bytes.array(), 8, headerLength, StandardCharsets.UTF_8);
        return new RawSafetensors(bytes, JsonParser.parseString(json).getAsJsonObject(), 8L + headerLength);
    }

    /** The tensor's values widened to float, decoding F32/F16/BF16 by hand. */
    float[] floats(String name) {
        JsonObject entry = header.getAsJsonObject(name);
        String dtype = entry.get("dtype").getAsString();
        int begin = (int) (dataStart + entry.getAsJsonArray("data_offsets").get(0).getAsLong());
        int end = (int) (dataStart + entry.getAsJsonArray("data_offsets").get(1).getAsLong());
        int size = dtype.equals("F32") ? 4 : 2;
        float[] out = new float[(end - begin) / size];
        for (int i = 0; i < out.length; i++) {
            int at = begin + i * size;
            out[i] = switch (dtype) {
                case "F32" -> bytes.getFloat(at);
                case "BF16" -> Float.intBitsToFloat((bytes.getShort(at) & 0xffff) << 16);
                case "F16" -> halfToFloat(bytes.getShort(at));
                default -> throw new IllegalArgumentException(dtype);
            };
        }
        return out;
    }

    /** IEEE 754 binary16 to binary32, written out from the format definition (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits >>> 15) == 0 ? 1 : -1;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0) {
            return sign * mantissa * 0x1p-24f; // subnormal: m * 2^-14 * 2^-10
        }
        if (exponent == 31) {
            return mantissa == 0 ? sign * Float.POSITIVE_INFINITY : Float.NaN;
        }
        return sign * (1 + mantissa / 1024f) * (float) Math.pow(2, exponent - 15);
    }
}
