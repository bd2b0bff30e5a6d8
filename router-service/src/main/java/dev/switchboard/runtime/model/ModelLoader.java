package dev.switchboard.runtime.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.MixtralTensorLayout;
import dev.switchboard.runtime.checkpoint.TensorSource;
import dev.switchboard.runtime.routing.RoutingStrategies;
import dev.switchboard.runtime.routing.RoutingStrategy;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the model's layers from Hugging Face tensors, in the layout the forward pass wants: linear
 * weights transposed to {@code (in, out)} so each projection is one {@code matMul}, q/k/v fused into one
 * matrix with q scaled by {@code 1/√headDim}, and experts built through the expert SPI. Serving builds once
 * from a {@link Checkpoint}; training builds every step from its live parameters, so autograd records these
 * layout changes and the gradients land on the Hugging Face tensors.
 */
final class ModelLoader {

    private final TensorSource source;
    private final MixtralConfig config;
    private final NDManager owner;
    private final DataType type;
    private final Device device;

    ModelLoader(TensorSource source, NDManager owner, DataType type, Device device) {
        this.source = source;
        this.config = source.config();
        this.owner = owner;
        this.type = type;
        this.device = device;
    }

    static ExpertKind expertKind(MixtralConfig config, ExpertKindResolver kinds, Object source) {
        return kinds.find(config.expertKind()).orElseThrow(() -> new IllegalArgumentException(
                "checkpoint " + source + " needs expert kind '" + config.expertKind()
                        + "' (switchboard_expert_kind), which no loaded provider offers; known kinds: "
                        + kinds.knownNames()));
    }

    static RoutingStrategy routing(MixtralConfig config, RoutingStrategy override) {
        return override != null
                ? override
                : RoutingStrategies.forConfig(config.routing(), config.numExpertsPerTok(), config.normTopkProb(),
                        config.capacityFactor());
    }

    ModelWeights weights(RoutingStrategy routing, GateWeights gateWeights) {
        float eps = (float) config.rmsNormEps();
        List<DecoderLayer> layers = new ArrayList<>();
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            layers.add(new DecoderLayer(l,
                    new RmsNorm(kept(MixtralTensorLayout.inputLayernorm(l)), eps),
                    attention(l),
                    new RmsNorm(kept(MixtralTensorLayout.postAttentionLayernorm(l)), eps),
                    new MoeLayer(l, routing, gateWeights)));
        }
        NDArray embed = kept(MixtralTensorLayout.EMBED_TOKENS); // (vocab, hidden)
        String head = config.tieWordEmbeddings() ? MixtralTensorLayout.EMBED_TOKENS : MixtralTensorLayout.LM_HEAD;
        NDArray lmHead = transposed(head); // (hidden, vocab)
        RmsNorm finalNorm = new RmsNorm(kept(MixtralTensorLayout.FINAL_NORM), eps);
        RotaryEmbedding rope = new RotaryEmbedding(config.headDim(), config.ropeTheta(), owner, type);
        return new ModelWeights(embed, layers, finalNorm, lmHead, rope);
    }

    /** Every layer's router rows and experts, built by {@code kind}. */
    ExpertTable experts(ExpertKind kind) {
        ExpertSpec spec = new ExpertSpec(config.hiddenSize(), config.intermediateSize(), type, device, Map.of());
        List<LayerExperts> layers = new ArrayList<>();
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            List<Expert> experts = new ArrayList<>();
            for (int e = 0; e < config.numLocalExperts(); e++) {
                try (SourceExpertWeights weights = new SourceExpertWeights(source, l, e, owner, type)) {
                    experts.add(kind.create(spec, weights));
                } catch (IllegalArgumentException wrong) {
                    experts.forEach(Expert::close);
                    layers.forEach(layer -> layer.experts().forEach(Expert::close));
                    throw new IllegalArgumentException("expert kind '" + kind.name() + "' cannot build expert " + e
                            + " of layer " + l + " from " + source + ": " + wrong.getMessage(), wrong);
                }
            }
            layers.add(LayerExperts.of(kept(MixtralTensorLayout.gate(l)), experts)); // gate (numExperts, hidden)
        }
        return new ExpertTable(layers);
    }

    /** q, k, v fused and transposed: {@code (hidden, (heads + 2·kvHeads)·headDim)}; o transposed. */
    private Attention attention(int layer) {
        float scale = (float) (1.0 / Math.sqrt(config.headDim())); // folded into q: scores = (q/√hd)·k
        try (NDManager scratch = owner.newSubManager()) {
            // Not mul(Number): training back-propagates through this product after the scratch is gone (GraphConstant).
            NDArray q = source.load(MixtralTensorLayout.qProj(layer), scratch, type).transpose()
                    .mul(GraphConstant.scalar(scratch, scale));
            NDArray k = source.load(MixtralTensorLayout.kProj(layer), scratch, type).transpose();
            NDArray v = source.load(MixtralTensorLayout.vProj(layer), scratch, type).transpose();
            NDArray qkv = NDArrays.concat(new NDList(q, k, v), 1); // (hidden, (heads + 2·kvHeads)·headDim)
            qkv.attach(owner);
            return new Attention(config.numAttentionHeads(), config.numKeyValueHeads(), config.headDim(), qkv,
                    transposed(MixtralTensorLayout.oProj(layer)));
        }
    }

    /** A tensor as stored, owned by the model. */
    private NDArray kept(String name) {
        return source.load(name, owner, type);
    }

    /** A {@code (out, in)} linear weight as a contiguous {@code (in, out)} copy owned by the model. */
    private NDArray transposed(String name) {
        try (NDManager scratch = owner.newSubManager()) {
            NDArray w = source.load(name, scratch, type); // (out, in)
            long out = w.getShape().get(0);
            long in = w.getShape().get(1);
            NDArray t = w.transpose().reshape(-1).reshape(in, out); // flattening the view forces a contiguous copy
            t.attach(owner);
            return t;
        }
    }
}
