package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.runtime.checkpoint.TensorSource;
import dev.switchboard.spi.ExpertWeights;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One expert's tensors of a checkpoint (or of a model in training) as {@link ExpertWeights}: weight {@code w} of expert e in layer l is
 * {@code model.layers.l.block_sparse_moe.experts.e.w.weight}, loaded on first use into a scratch
 * manager that {@link #close()} frees once the expert has copied what it needs.
 */
final class SourceExpertWeights implements ExpertWeights, AutoCloseable {

    private final TensorSource checkpoint;
    private final String prefix;
    private final Set<String> names;
    private final NDManager scratch;
    private final DataType type;
    private final Map<String, NDArray> loaded = new HashMap<>();

    SourceExpertWeights(TensorSource checkpoint, int layer, int expert, NDManager parent, DataType type) {
        this.checkpoint = checkpoint;
        this.prefix = "model.layers." + layer + ".block_sparse_moe.experts." + expert + ".";
        this.scratch = parent.newSubManager();
        this.type = type;
        Set<String> available = new java.util.TreeSet<>();
        for (String name : checkpoint.tensorNames()) {
            if (name.startsWith(prefix) && name.endsWith(".weight")) {
                available.add(name.substring(prefix.length(), name.length() - ".weight".length()));
            }
        }
        this.names = Set.copyOf(available);
    }

    @Override
    public Set<String> names() {
        return names;
    }

    @Override
    public NDArray get(String name) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException("model has no expert weight '" + name + "' under " + prefix
                    + "; it has " + names);
        }
        return loaded.computeIfAbsent(name, n -> checkpoint.load(prefix + n + ".weight", scratch, type));
    }

    @Override
    public void close() {
        scratch.close();
    }
}
