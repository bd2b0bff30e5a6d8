package dev.switchboard.runtime.checkpoint;

import dev.switchboard.runtime.checkpoint.SafetensorsFile.Entry;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only memory maps of every tensor's byte range. One mapping per tensor because a Java 17
 * {@link MappedByteBuffer} is limited to 2 GiB while shards are often larger. The bytes stay in the page
 * cache; nothing is copied into the Java heap.
 */
final class MappedTensors {

    private static final Logger log = LoggerFactory.getLogger(MappedTensors.class);

    private final Map<String, MappedByteBuffer> buffers;

    private MappedTensors(Map<String, MappedByteBuffer> buffers) {
        this.buffers = buffers;
    }

    /** Maps all entries; on failure unmaps what was mapped so far and throws. */
    static MappedTensors map(Collection<Entry> entries) {
        Map<Path, List<Entry>> byFile = new LinkedHashMap<>();
        for (Entry entry : entries) {
            byFile.computeIfAbsent(entry.info().file(), f -> new ArrayList<>()).add(entry);
        }
        Map<String, MappedByteBuffer> buffers = new HashMap<>();
        MappedTensors mapped = new MappedTensors(buffers);
        for (Map.Entry<Path, List<Entry>> file : byFile.entrySet()) {
            // A mapping stays valid after its channel is closed, so no file handles stay open.
            try (FileChannel channel = FileChannel.open(file.getKey(), StandardOpenOption.READ)) {
                for (Entry entry : file.getValue()) {
                    buffers.put(entry.info().name(),
                            channel.map(FileChannel.MapMode.READ_ONLY, entry.fileOffset(), entry.byteLength()));
                }
            } catch (IOException | RuntimeException e) {
                mapped.unmapAll();
                throw new CheckpointException(file.getKey() + ": cannot memory-map tensor data: " + e, e);
            }
        }
        return mapped;
    }

    /** A little-endian view of the tensor's bytes, positioned at 0; independent of other callers' views. */
    ByteBuffer bytes(String name) {
        return buffers.get(name).duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Releases the mappings now instead of at some later garbage collection. Callers must guarantee that
     * no view of these buffers is used afterwards (the checkpoint's lock does): touching an unmapped
     * page would crash the JVM.
     */
    void unmapAll() {
        Method invokeCleaner = Unmapper.INVOKE_CLEANER;
        if (invokeCleaner != null) {
            for (MappedByteBuffer buffer : buffers.values()) {
                try {
                    invokeCleaner.invoke(Unmapper.UNSAFE, buffer);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    log.debug("could not unmap a tensor buffer early; the GC will release it", e);
                }
            }
        }
        buffers.clear();
    }

    /** {@code sun.misc.Unsafe.invokeCleaner}, the JDK 9+ way to unmap before Java 22's FFM arenas. */
    private static final class Unmapper {
        static final Object UNSAFE;
        static final Method INVOKE_CLEANER;

        static {
            Object unsafe = null;
            Method method = null;
            try {
                Class<?> type = Class.forName("sun.misc.Unsafe");
                Field field = type.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                unsafe = field.get(null);
                method = type.getMethod("invokeCleaner", ByteBuffer.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.debug("sun.misc.Unsafe.invokeCleaner unavailable; mappings are released by the GC", e);
            }
            UNSAFE = unsafe;
            INVOKE_CLEANER = method;
        }
    }
}
