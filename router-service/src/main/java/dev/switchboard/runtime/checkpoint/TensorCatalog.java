package dev.switchboard.runtime.checkpoint;

import dev.switchboard.runtime.checkpoint.SafetensorsFile.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Every tensor of a checkpoint directory, from {@code model.safetensors} or from the shards that
 * {@code model.safetensors.index.json} names, checked for consistency between index and shards and
 * then against the layout the config implies.
 */
final class TensorCatalog {

    static final String SINGLE_FILE = "model.safetensors";

    private final String source;
    private final Map<String, Entry> entries;

    private TensorCatalog(String source, Map<String, Entry> entries) {
        this.source = source;
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** All tensors by name. */
    Map<String, Entry> entries() {
        return entries;
    }

    /** Reads the single file if present (as transformers does), else the shard index. */
    static TensorCatalog read(Path dir) {
        Path single = dir.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return new TensorCatalog(single.toString(), new LinkedHashMap<>(SafetensorsFile.read(single).entries()));
        }
        Path index = dir.resolve(ShardIndex.FILE_NAME);
        if (Files.isRegularFile(index)) {
            return readSharded(ShardIndex.read(index));
        }
        throw new CheckpointException(dir + ": no " + SINGLE_FILE + " and no " + ShardIndex.FILE_NAME
                + "; expected a Hugging Face safetensors checkpoint");
    }

    private static TensorCatalog readSharded(ShardIndex index) {
        Path dir = index.file().getParent();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String shardName : new LinkedHashSet<>(index.weightMap().values())) {
            Path shard = dir.resolve(shardName);
            if (!Files.isRegularFile(shard)) {
                String firstTensor = index.weightMap().entrySet().stream()
                        .filter(e -> e.getValue().equals(shardName)).findFirst().orElseThrow().getKey();
                throw new CheckpointException(index.file() + ": tensor '" + firstTensor + "': expected in shard "
                        + shard + ", but that file does not exist");
            }
            for (Entry entry : SafetensorsFile.read(shard).entries().values()) {
                String name = entry.info().name();
                String indexed = index.weightMap().get(name);
                if (!shardName.equals(indexed)) {
                    throw new CheckpointException(shard + ": tensor '" + name + "': stored here, but "
                            + index.file().getFileName() + " expects it "
                            + (indexed == null ? "nowhere (not in weight_map)" : "in " + indexed));
                }
                entries.put(name, entry);
            }
        }
        for (Map.Entry<String, String> indexed : index.weightMap().entrySet()) {
            if (!entries.containsKey(indexed.getKey())) {
                throw new CheckpointException(dir.resolve(indexed.getValue()) + ": tensor '" + indexed.getKey()
                        + "': listed in " + index.file().getFileName() + " for this shard, but absent from its header");
            }
        }
        return new TensorCatalog(index.file().toString(), entries);
    }

    /** Every expected tensor present with its shape, and nothing else. */
    void requireLayout(Map<String, MixtralTensorLayout.Expected> expected) {
        for (MixtralTensorLayout.Expected want : expected.values()) {
            Entry found = entries.get(want.name());
            if (found == null) {
                throw new CheckpointException(source + ": tensor '" + want.name() + "': expected shape "
                        + want.describe() + " from config.json, found no such tensor");
            }
            if (!Arrays.equals(found.info().shape(), want.shape())) {
                throw new CheckpointException(found.info().file() + ": tensor '" + want.name()
                        + "': expected shape " + want.describe() + " from config.json, found "
                        + Arrays.toString(found.info().shape()));
            }
        }
        for (Entry entry : entries.values()) {
            String name = entry.info().name();
            if (!expected.containsKey(name)) {
                String why = name.equals(MixtralTensorLayout.LM_HEAD)
                        ? " (config.json sets tie_word_embeddings, so lm_head reuses model.embed_tokens.weight)"
                        : "";
                throw new CheckpointException(entry.info().file() + ": tensor '" + name + "': expected no such tensor"
                        + " for this config" + why + ", found " + entry.info().dtype()
                        + Arrays.toString(entry.info().shape()));
            }
        }
    }

    Set<String> names() {
        return entries.keySet();
    }
}
