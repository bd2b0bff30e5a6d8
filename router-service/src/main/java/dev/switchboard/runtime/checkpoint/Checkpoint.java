package dev.switchboard.runtime.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.runtime.checkpoint.SafetensorsFile.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An opened Hugging Face checkpoint directory of a supported {@link ModelFamily}: {@code config.json} plus {@code model.safetensors}
 * or shards listed in {@code model.safetensors.index.json}.
 *
 * <p>{@link #open(Path)} validates everything before it returns: the config, every safetensors header
 * against its file size, the index against the shards, and the tensor set and shapes against the layout
 * the config implies ({@link TensorLayout}). A checkpoint that opens can therefore be loaded
 * tensor by tensor without further format errors. Tensor bytes are memory-mapped read-only, never
 * copied into the Java heap.
 *
 * <p>Thread-safety: {@link #load} may be called concurrently; {@link #close} waits for loads in
 * progress and afterwards {@code load} throws {@link IllegalStateException}. NDArrays returned by
 * {@code load} own their memory and stay valid after the checkpoint is closed.
 */
public final class Checkpoint implements TensorSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Checkpoint.class);

    private final Path directory;
    private final MixtralConfig config;
    private final TensorCatalog catalog;
    private final MappedTensors mapped;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private Checkpoint(Path directory, MixtralConfig config, TensorCatalog catalog, MappedTensors mapped) {
        this.directory = directory;
        this.config = config;
        this.catalog = catalog;
        this.mapped = mapped;
    }

    /**
     * Opens and fully validates a checkpoint directory.
     *
     * @throws CheckpointException naming the file, the tensor or field, what was expected and what was found
     */
    public static Checkpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException(dir + ": expected a checkpoint directory, found "
                    + (Files.exists(dir) ? "a file" : "nothing"));
        }
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new CheckpointException(configFile + ": expected the model's config.json, found no such file");
        }
        MixtralConfig config = MixtralConfig.fromJson(configFile);
        TensorCatalog catalog = TensorCatalog.read(dir);
        catalog.requireLayout(TensorLayout.expected(config));
        MappedTensors mapped = MappedTensors.map(catalog.entries().values());
        long bytes = catalog.entries().values().stream().mapToLong(Entry::byteLength).sum();
        log.info("Opened {} checkpoint {}: {} tensors, {} MiB, {} layers x {} experts (top-{})", config.modelType(), dir,
                catalog.entries().size(), bytes >> 20, config.numHiddenLayers(), config.numLocalExperts(),
                config.numExpertsPerTok());
        return new Checkpoint(dir, config, catalog, mapped);
    }

    @Override
    public MixtralConfig config() {
        return config;
    }

    public Path directory() {
        return directory;
    }

    /** Names of all tensors (exactly those of {@link TensorLayout#expected}). */
    @Override
    public Set<String> tensorNames() {
        return catalog.names();
    }

    /**
     * Where and how a tensor is stored.
     *
     * @throws IllegalArgumentException when the checkpoint has no such tensor
     */
    public TensorInfo tensor(String name) {
        return entry(name).info();
    }

    /**
     * Creates the tensor in {@code manager} as {@code workingType} (FLOAT32 or FLOAT16), with its stored
     * shape. BF16 and F16 are widened exactly to FLOAT32; narrowing to FLOAT16 rounds to nearest even.
     * The caller owns (and closes) the result, or closes {@code manager}.
     *
     * @throws IllegalArgumentException for an unknown tensor or another working type
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public NDArray load(String name, NDManager manager, DataType workingType) {
        Entry entry = entry(name);
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("checkpoint " + directory + " is closed; cannot load " + name);
            }
            return TensorLoader.load(mapped.bytes(name), entry.info(), manager, workingType);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The checkpoint's directory, as messages name it. */
    @Override
    public String toString() {
        return directory.toString();
    }

    /** Releases the memory maps. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                mapped.unmapAll();
                log.info("Closed checkpoint {}", directory);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private Entry entry(String name) {
        Entry entry = catalog.entries().get(name);
        if (entry == null) {
            throw new IllegalArgumentException("checkpoint " + directory + " has no tensor '" + name + "'");
        }
        return entry;
    }
}
