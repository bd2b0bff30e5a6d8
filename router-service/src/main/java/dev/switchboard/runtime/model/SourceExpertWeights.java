package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.runtime.checkpoint.ModelFamily;
import dev.switchboard.runtime.checkpoint.TensorLayout;
import dev.switchboard.runtime.checkpoint.TensorSource;
import dev.switchboard.spi.ExpertWeights;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One expert's tensors of a checkpoint (or of a model in training) as {@link ExpertWeights}: weight {@code w} of routed
 * expert e in layer l of a Mixtral checkpoint is {@code model.layers.l.block_sparse_moe.experts.e.w.weight}. Other
 * families' SwiGLU projections are offered under the SPI's names ({@code gate_proj} as {@code w1}, {@code up_proj} as
 * {@code w3}, {@code down_proj} as {@code w2}), so every kind reads every family. Loaded on first use into a scratch
 * manager that {@link #close()} frees once the expert has copied what it needs.
 */
final class SourceExpertWeights implements ExpertWeights, AutoCloseable {

    private final TensorSource checkpoint;
    private final String prefix;
    private final Map<String, String> tensorOf = new HashMap<>(); // SPI name -> name under prefix
    private final Set<String> names;
    private final NDManager scratch;
    private final DataType type;
    private final Map<String, NDArray> loaded = new HashMap<>();

    /** Routed expert {@code expert} of layer {@code layer}. */
    SourceExpertWeights(TensorSource checkpoint, int layer, int expert, NDManager parent, DataType type) {
        this(checkpoint, TensorLayout.expert(checkpoint.config().family(), layer, expert), parent, type);
    }

    /** The SwiGLU projections under {@code prefix} (a routed or shared expert, or a dense layer's MLP). */
    SourceExpertWeights(TensorSource checkpoint, String prefix, NDManager parent, DataType type) {
        this.checkpoint = checkpoint;
        this.prefix = prefix;
        this.scratch = parent.newSubManager();
        this.type = type;
        ModelFamily family = checkpoint.config().family();
        Map<String, String> spiNames = Map.of(family.gateProjection(), "w1", family.upProjection(), "w3",
                family.downProjection(), "w2");
        for (String name : checkpoint.tensorNames()) {
            if (name.startsWith(prefix) && name.endsWith(".weight")) {
                String own = name.substring(prefix.length(), name.length() - ".weight".length());
                if (!own.contains(".")) { // a dense layer's prefix also holds the next modules' tensors
                    tensorOf.put(spiNames.getOrDefault(own, own), own);
                }
            }
        }
        this.names = Set.copyOf(tensorOf.keySet());
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
        return loaded.computeIfAbsent(name, n -> checkpoint.load(prefix + tensorOf.get(n) + ".weight", scratch, type));
    }

    @Override
    public void close() {
        scratch.close();
    }
}
