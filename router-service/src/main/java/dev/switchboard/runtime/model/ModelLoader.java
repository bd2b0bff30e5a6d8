package dev.switchboard.runtime.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.kernels.VectorKernels;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.FamilyFeatures;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.MixtralTensorLayout;
import dev.switchboard.runtime.checkpoint.ModelFamily;
import dev.switchboard.runtime.checkpoint.QkNorm;
import dev.switchboard.runtime.checkpoint.TensorLayout;
import dev.switchboard.runtime.checkpoint.TensorSource;
import dev.switchboard.runtime.routing.RoutingStrategies;
import dev.switchboard.runtime.routing.RoutingStrategy;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the model's layers from Hugging Face tensors of any {@link ModelFamily}, in the layout the forward pass wants:
 * linear weights transposed to {@code (in, out)} so each projection is one {@code matMul}, q/k/v fused into one
 * matrix with q scaled by {@code 1/√headDim}, the family's variation points switched on from its
 * {@link FamilyFeatures}, and experts (routed, shared, dense layers' MLPs) built through the expert SPI. Serving builds once
 * from a {@link Checkpoint}; training builds every step from its live parameters, so autograd records these
 * layout changes and the gradients land on the Hugging Face tensors.
 */
final class ModelLoader {

    private final TensorSource source;
    private final MixtralConfig config;
    private final NDManager owner;
    private final DataType type;
    private final Device device;
    private final boolean javaKernels;
    private final HostCopy hostCopy;

    /**
     * @param javaKernels whether decode projections ({@link Projection}) and the experts ({@link
     *     VectorKernels#EXPERT_OPTION}) may run on the Java kernels: serving yes; training no, as its products must
     *     record gradients; they run only on the CPU whatever this says (each checks the weights' device)
     * @param hostCopy how the MoE layers copy their router logits to the JVM
     */
    ModelLoader(TensorSource source, NDManager owner, DataType type, Device device, boolean javaKernels,
            HostCopy hostCopy) {
        this.source = source;
        this.javaKernels = javaKernels;
        this.hostCopy = hostCopy;
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

    /** The layers and everything but the routed experts; a family's shared experts are built with {@code kind}. */
    ModelWeights weights(RoutingStrategy routing, GateWeights gateWeights, ExpertKind kind) {
        float eps = (float) config.rmsNormEps();
        List<DecoderLayer> layers = new ArrayList<>();
        Map<Integer, SharedExpert> shared = new TreeMap<>();
        try {
            for (int l = 0; l < config.numHiddenLayers(); l++) {
                SharedExpert layerShared = config.isSparse(l) && config.features().hasSharedExpert() ? sharedExpert(l, kind) : null;
                if (layerShared != null) {
                    shared.put(l, layerShared);
                }
                layers.add(new DecoderLayer(l,
                        new RmsNorm(kept(MixtralTensorLayout.inputLayernorm(l)), eps),
                        attention(l),
                        new RmsNorm(kept(MixtralTensorLayout.postAttentionLayernorm(l)), eps),
                        new MoeLayer(l, routing, gateWeights, layerShared, hostCopy)));
            }
        } catch (RuntimeException e) {
            shared.values().forEach(SharedExpert::close);
            throw e;
        }
        NDArray embed = kept(MixtralTensorLayout.EMBED_TOKENS); // (vocab, hidden)
        String head = config.tieWordEmbeddings() ? MixtralTensorLayout.EMBED_TOKENS : MixtralTensorLayout.LM_HEAD;
        NDArray lmHead = transposed(head); // (hidden, vocab)
        RmsNorm finalNorm = new RmsNorm(kept(MixtralTensorLayout.FINAL_NORM), eps);
        RotaryEmbedding rope = new RotaryEmbedding(config.headDim(), config.ropeTheta(), owner, type);
        return new ModelWeights(embed, layers, finalNorm, new Projection(lmHead, javaKernels), rope, shared);
    }

    /** What the experts of this model look like: the routed experts' spec; {@link ExpertSpec#forRole} for the others. */
    ExpertSpec spec(Map<String, String> kindOptions) {
        Map<String, String> options = kindOptions;
        if (!javaKernels) { // training: every expert product must stay on PyTorch to record gradients
            options = new HashMap<>(kindOptions);
            options.put(VectorKernels.EXPERT_OPTION, "false");
        }
        return new ExpertSpec(config.hiddenSize(), config.expertIntermediateSize(), type, device, Map.copyOf(options));
    }

    /**
     * Every layer's router rows and experts, built by {@code kind}. A dense layer (Qwen's {@code mlp_only_layers})
     * is one expert, its MLP, behind a single zero router row: softmax over one expert is exactly 1, so the layer
     * computes {@code 1 · MLP(x)} and its routing shows one expert chosen by every token.
     */
    ExpertTable experts(ExpertKind kind) {
        ExpertSpec spec = spec(Map.of());
        List<LayerExperts> layers = new ArrayList<>();
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            List<Expert> experts = new ArrayList<>();
            int count = config.isSparse(l) ? config.numLocalExperts() : 1;
            for (int e = 0; e < count; e++) {
                try (SourceExpertWeights weights = config.isSparse(l) ? new SourceExpertWeights(source, l, e, owner, type)
                        : new SourceExpertWeights(source, TensorLayout.denseMlp(config.family(), l), owner, type)) {
                    experts.add(kind.create(config.isSparse(l) ? spec
                            : spec.forRole(config.intermediateSize(), ExpertSpec.Role.DENSE), weights));
                } catch (IllegalArgumentException wrong) {
                    experts.forEach(Expert::close);
                    layers.forEach(layer -> layer.experts().forEach(Expert::close));
                    throw new IllegalArgumentException("expert kind '" + kind.name() + "' cannot build "
                            + (config.isSparse(l) ? "expert " + e : "the dense MLP") + " of layer " + l + " from "
                            + source + ": " + wrong.getMessage(), wrong);
                }
            }
            NDArray gate = config.isSparse(l) ? kept(TensorLayout.router(config.family(), l)) // (numExperts, hidden)
                    : owner.zeros(new Shape(1, config.hiddenSize()), type); // (1, hidden)
            layers.add(LayerExperts.of(gate, experts));
        }
        return new ExpertTable(layers);
    }

    /** Qwen2-MoE's shared expert of layer {@code layer}, built with {@code kind}, and its sigmoid gate. */
    private SharedExpert sharedExpert(int layer, ExpertKind kind) {
        ExpertSpec spec = spec(Map.of()).forRole(config.features().sharedExpertIntermediateSize(), ExpertSpec.Role.SHARED);
        try (SourceExpertWeights weights = new SourceExpertWeights(source,
                TensorLayout.sharedExpert(config.family(), layer), owner, type)) {
            Expert expert = kind.create(spec, weights);
            return new SharedExpert(expert, transposed(TensorLayout.sharedExpertGate(config.family(), layer))); // (hidden, 1)
        } catch (IllegalArgumentException wrong) {
            throw new IllegalArgumentException("expert kind '" + kind.name() + "' cannot build the shared expert of layer "
                    + layer + " from " + source + ": " + wrong.getMessage(), wrong);
        }
    }

    /**
     * The attention of layer {@code layer}: q, k, v fused and transposed, {@code (hidden, (heads + 2·kvHeads)·headDim)},
     * with the family's biases, q/k norms and clip ({@link QkvProjection}); o transposed.
     */
    private Attention attention(int layer) {
        FamilyFeatures features = config.features();
        float scale = (float) (1.0 / Math.sqrt(config.headDim())); // folded into q: scores = (q/√hd)·k
        boolean scaleInNorm = features.qkNorm() != QkNorm.NONE; // RMSNorm would undo a scale applied before it
        try (NDManager scratch = owner.newSubManager()) {
            NDArray q = source.load(TensorLayout.attention(layer, "q_proj.weight"), scratch, type).transpose();
            if (!scaleInNorm) {
                // Not mul(Number): training back-propagates through this product after the scratch is gone (GraphConstant).
                q = q.mul(GraphConstant.scalar(scratch, scale));
            }
            NDArray k = source.load(TensorLayout.attention(layer, "k_proj.weight"), scratch, type).transpose();
            NDArray v = source.load(TensorLayout.attention(layer, "v_proj.weight"), scratch, type).transpose();
            NDArray qkv = NDArrays.concat(new NDList(q, k, v), 1); // (hidden, (heads + 2·kvHeads)·headDim)
            qkv.attach(owner);
            QkvProjection projection = features.family() == ModelFamily.MIXTRAL
                    ? QkvProjection.plain(config.numAttentionHeads(), config.numKeyValueHeads(), config.headDim(),
                            new Projection(qkv, javaKernels))
                    : familyProjection(layer, qkv, scale, scaleInNorm, scratch);
            NDArray outputBias = features.outputBias() ? kept(TensorLayout.attention(layer, "o_proj.bias")) : null;
            return new Attention(config.numAttentionHeads(), config.numKeyValueHeads(), config.headDim(), projection,
                    new Projection(transposed(TensorLayout.attention(layer, "o_proj.weight")), javaKernels), outputBias);
        }
    }

    /** The projection's variation points for a non-Mixtral family (docs/MODELS.md). */
    private QkvProjection familyProjection(int layer, NDArray qkv, float scale, boolean scaleInNorm, NDManager scratch) {
        FamilyFeatures features = config.features();
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        float eps = (float) config.rmsNormEps();
        NDArray bias = null;
        if (features.qkvBias()) {
            NDArray qBias = source.load(TensorLayout.attention(layer, "q_proj.bias"), scratch, type);
            bias = NDArrays.concat(new NDList(scaleInNorm ? qBias : qBias.mul(GraphConstant.scalar(scratch, scale)),
                    source.load(TensorLayout.attention(layer, "k_proj.bias"), scratch, type),
                    source.load(TensorLayout.attention(layer, "v_proj.bias"), scratch, type)), 0);
            bias.attach(owner);
        }
        RmsNorm queryNorm = null;
        RmsNorm keyNorm = null;
        if (features.qkNorm() != QkNorm.NONE) {
            NDArray qWeight = source.load(TensorLayout.attention(layer, "q_norm.weight"), scratch, type)
                    .mul(GraphConstant.scalar(scratch, scale));
            NDArray kWeight = source.load(TensorLayout.attention(layer, "k_norm.weight"), scratch, type);
            if (features.qkNorm() == QkNorm.PER_HEAD) { // one (heads + kvHeads, headDim) weight: q's heads, then k's
                NDArray both = NDArrays.concat(new NDList(qWeight.broadcast(heads, config.headDim()),
                        kWeight.broadcast(kvHeads, config.headDim())), 0);
                both.attach(owner);
                queryNorm = new RmsNorm(both, eps);
            } else {
                qWeight.attach(owner);
                kWeight.attach(owner);
                queryNorm = new RmsNorm(qWeight, eps);
                keyNorm = new RmsNorm(kWeight, eps);
            }
        }
        float clip = features.clipQkv().isPresent() ? (float) features.clipQkv().getAsDouble() : Float.NaN;
        return new QkvProjection(heads, kvHeads, config.headDim(), new Projection(qkv, javaKernels), bias, features.qkNorm(), queryNorm, keyNorm,
                clip * scale, clip);
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
