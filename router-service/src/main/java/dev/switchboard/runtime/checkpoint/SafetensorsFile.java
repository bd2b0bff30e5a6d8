package dev.switchboard.runtime.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated header of one safetensors file: an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets: [begin, end]}}} with offsets relative to the end of the
 * header, then the data. Every entry is checked against the file size before anything is mapped.
 * Format: https://github.com/huggingface/safetensors (README "Format").
 */
final class SafetensorsFile {

    /** safetensors refuses headers above 100 MB; so do we, before allocating the buffer. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    /** One tensor with its absolute byte range in the file. */
    record Entry(TensorInfo info, long fileOffset, long byteLength) {}

    private final Path file;
    private final Map<String, Entry> entries;

    private SafetensorsFile(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = Collections.unmodifiableMap(entries);
    }

    Path file() {
        return file;
    }

    /** Tensors in header order. */
    Map<String, Entry> entries() {
        return entries;
    }

    static SafetensorsFile read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw fail(file, "file is " + size + " bytes, expected at least the 8-byte header length: truncated?");
            }
            ByteBuffer prefix = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = prefix.getLong(0);
            if (headerLength < 0 || headerLength > size - 8) {
                throw fail(file, "header length " + Long.toUnsignedString(headerLength)
                        + " runs past the end of the file (" + size + " bytes): truncated or not safetensors");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw fail(file, "header length " + headerLength + " exceeds the safetensors limit of "
                        + MAX_HEADER_BYTES + " bytes");
            }
            String json = decodeUtf8(file, readFully(channel, 8, (int) headerLength));
            long dataStart = 8 + headerLength;
            return new SafetensorsFile(file, parseHeader(file, json, dataStart, size - dataStart));
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read safetensors file: " + e, e);
        }
    }

    private static Map<String, Entry> parseHeader(Path file, String json, long dataStart, long dataSize) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw fail(file, "malformed header JSON: " + e.getMessage());
        }
        if (!root.isJsonObject()) {
            throw fail(file, "header must be a JSON object of tensors, found " + abbreviate(root));
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> member : root.getAsJsonObject().entrySet()) {
            if (member.getKey().equals("__metadata__")) {
                continue;
            }
            entries.put(member.getKey(), parseEntry(file, member.getKey(), member.getValue(), dataStart, dataSize));
        }
        requireNoOverlap(file, entries, dataStart);
        return entries;
    }

    private static Entry parseEntry(Path file, String name, JsonElement value, long dataStart, long dataSize) {
        if (!value.isJsonObject()) {
            throw fail(file, name, "expected an object with dtype, shape, data_offsets, found " + abbreviate(value));
        }
        JsonObject object = value.getAsJsonObject();
        JsonElement dtypeJson = object.get("dtype");
        if (dtypeJson == null || !dtypeJson.isJsonPrimitive() || !dtypeJson.getAsJsonPrimitive().isString()) {
            throw fail(file, name, "expected a dtype string, found " + dtypeJson);
        }
        String dtypeName = dtypeJson.getAsString();
        TensorDtype dtype = TensorDtype.fromSafetensors(dtypeName).orElseThrow(() -> fail(file, name,
                "unsupported dtype " + dtypeName + ", expected one of " + Arrays.toString(TensorDtype.values())));
        long[] shape = longs(file, name, "shape", object.get("shape"), -1);
        long[] offsets = longs(file, name, "data_offsets", object.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end || end > dataSize) {
            throw fail(file, name, "data_offsets [" + begin + ", " + end + "] lie outside the data section of "
                    + dataSize + " bytes: truncated file or wrong offsets");
        }
        long expectedBytes = byteSize(file, name, dtype, shape);
        if (end - begin != expectedBytes) {
            throw fail(file, name, "data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes, expected " + expectedBytes + " bytes for " + dtype + " " + Arrays.toString(shape));
        }
        if (expectedBytes > Integer.MAX_VALUE) {
            throw fail(file, name, expectedBytes + " bytes exceed the 2 GiB a single tensor may have here");
        }
        return new Entry(new TensorInfo(name, dtype, shape, file), dataStart + begin, expectedBytes);
    }

    private static long byteSize(Path file, String name, TensorDtype dtype, long[] shape) {
        try {
            long bytes = dtype.byteSize();
            for (long dim : shape) {
                bytes = Math.multiplyExact(bytes, dim);
            }
            return bytes;
        } catch (ArithmeticException e) {
            throw fail(file, name, "shape " + Arrays.toString(shape) + " overflows a 64-bit byte count");
        }
    }

    private static void requireNoOverlap(Path file, Map<String, Entry> entries, long dataStart) {
        List<Entry> byOffset = new ArrayList<>(entries.values());
        byOffset.sort(Comparator.comparingLong(Entry::fileOffset));
        for (int i = 1; i < byOffset.size(); i++) {
            Entry previous = byOffset.get(i - 1);
            Entry current = byOffset.get(i);
            if (current.fileOffset() < previous.fileOffset() + previous.byteLength()) {
                throw fail(file, current.info().name(), "data_offsets [" + (current.fileOffset() - dataStart)
                        + ", " + (current.fileOffset() - dataStart + current.byteLength()) + "] overlap tensor '"
                        + previous.info().name() + "' at [" + (previous.fileOffset() - dataStart) + ", "
                        + (previous.fileOffset() - dataStart + previous.byteLength()) + "]; expected disjoint ranges");
            }
        }
    }

    private static long[] longs(Path file, String name, String field, JsonElement value, int requiredLength) {
        String expected = requiredLength < 0
                ? "an array of non-negative integers"
                : "an array of " + requiredLength + " non-negative integers";
        if (value == null || !value.isJsonArray()
                || (requiredLength >= 0 && value.getAsJsonArray().size() != requiredLength)) {
            throw fail(file, name, field + ": expected " + expected + ", found " + value);
        }
        long[] out = new long[value.getAsJsonArray().size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement element = value.getAsJsonArray().get(i);
            try {
                if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isNumber()) {
                    throw new NumberFormatException();
                }
                out[i] = new BigDecimal(element.getAsString()).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                out[i] = -1;
            }
            if (out[i] < 0) {
                throw fail(file, name, field + ": expected " + expected + ", found " + value);
            }
        }
        return out;
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    private static String decodeUtf8(Path file, ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail(file, "header is not valid UTF-8 JSON: " + e);
        }
    }

    private static String abbreviate(JsonElement element) {
        String text = String.valueOf(element);
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    static CheckpointException fail(Path file, String problem) {
        return new CheckpointException(file + ": " + problem);
    }

    static CheckpointException fail(Path file, String tensor, String problem) {
        return new CheckpointException(file + ": tensor '" + tensor + "': " + problem);
    }
}
