package dev.switchboard.runtime.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** A copy of a fixture checkpoint in a temporary directory, with helpers to break it in one specific way. */
final class BrokenCheckpoint {

    final Path dir;

    private BrokenCheckpoint(Path dir) {
        this.dir = dir;
    }

    static BrokenCheckpoint copyOf(String fixture, Path tmp) {
        Path target = tmp.resolve(fixture);
        try (Stream<Path> files = Files.list(Fixtures.dir(fixture))) {
            Files.createDirectories(target);
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BrokenCheckpoint(target);
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    Path weights() {
        return file("model.safetensors");
    }

    /** Rewrites the JSON header of a safetensors file (the data section is kept byte for byte). */
    BrokenCheckpoint editHeader(String fileName, Consumer<JsonObject> edit) throws IOException {
        byte[] bytes = Files.readAllBytes(file(fileName));
        int headerLength = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        JsonObject header = JsonParser.parseString(new String(bytes, 8, headerLength, StandardCharsets.UTF_8))
                .getAsJsonObject();
        edit.accept(header);
        byte[] data = Arrays.copyOfRange(bytes, 8 + headerLength, bytes.length);
        return writeSafetensors(fileName, header.toString().getBytes(StandardCharsets.UTF_8), data);
    }

    BrokenCheckpoint editHeader(Consumer<JsonObject> edit) throws IOException {
        return editHeader("model.safetensors", edit);
    }

    /** Appends bytes to the data section and a header entry pointing at them. */
    BrokenCheckpoint appendTensor(String name, String dtype, long[] shape, int byteLength) throws IOException {
        long dataLength = Files.size(weights()) - 8 - headerLength(weights());
        editHeader(header -> header.add(name, entry(dtype, shape, dataLength, dataLength + byteLength)));
        Files.write(weights(), new byte[byteLength], java.nio.file.StandardOpenOption.APPEND);
        return this;
    }

    BrokenCheckpoint writeSafetensors(String fileName, byte[] header, byte[] data) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header).put(data);
        Files.write(file(fileName), out.array());
        return this;
    }

    BrokenCheckpoint truncate(String fileName, long newSize) throws IOException {
        byte[] bytes = Files.readAllBytes(file(fileName));
        Files.write(file(fileName), Arrays.copyOf(bytes, (int) newSize));
        return this;
    }

    BrokenCheckpoint patchLong(String fileName, int offset, long value) throws IOException {
        byte[] bytes = Files.readAllBytes(file(fileName));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
        Files.write(file(fileName), bytes);
        return this;
    }

    BrokenCheckpoint editJson(String fileName, Consumer<JsonObject> edit) throws IOException {
        JsonObject json = JsonParser.parseString(Files.readString(file(fileName))).getAsJsonObject();
        edit.accept(json);
        Files.writeString(file(fileName), json.toString());
        return this;
    }

    static long headerLength(Path file) throws IOException {
        byte[] prefix = Arrays.copyOf(Files.readAllBytes(file), 8);
        return ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    static JsonObject entry(String dtype, long[] shape, long begin, long end) {
        JsonObject entry = new JsonObject();
        entry.addProperty("dtype", dtype);
        JsonArray shapeJson = new JsonArray();
        Arrays.stream(shape).forEach(shapeJson::add);
        entry.add("shape", shapeJson);
        JsonArray offsets = new JsonArray();
        offsets.add(begin);
        offsets.add(end);
        entry.add("data_offsets", offsets);
        return entry;
    }
}
