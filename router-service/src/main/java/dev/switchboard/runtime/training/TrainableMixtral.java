package dev.switchboard.runtime.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.MixtralConfigWriter;
import dev.switchboard.runtime.checkpoint.MixtralTensorLayout;
import dev.switchboard.runtime.checkpoint.SafetensorsWriter;
import dev.switchboard.runtime.checkpoint.TensorDtype;
import dev.switchboard.runtime.checkpoint.TensorSource;
import dev.switchboard.runtime.model.ExpertKinds;
import dev.switchboard.runtime.model.GraphConstant;
import dev.switchboard.runtime.model.TrainingForward;
import dev.switchboard.runtime.routing.RoutingDecision;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.kernels.VectorKernels;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Mixtral model whose parameters carry gradients, for training the default model. Its forward pass is the
 * serving runtime's own ({@link TrainingForward}: the same attention, norms, router, sparse dispatch and expert
 * kind), run over whole windows, plus the router losses.
 *
 * <p>Parameters are held under their Hugging Face names, so {@link #save} writes a checkpoint the runtime
 * loads unchanged, and the optimiser sees Hugging Face's parameterisation.
 */
public final class TrainableMixtral implements AutoCloseable {

    /** The loss of one batch: next-token cross-entropy plus the weighted routing losses. */
    public record Loss(NDArray total, NDArray crossEntropy, NDArray balance, NDArray routerZ,
            List<RoutingDecision> decisions) {}

    private final MixtralConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final DataType type;
    private final ExpertKind expertKind;
    private final TensorSource source;
    private final int window;
    private final ExtraExperts extra;

    private TrainableMixtral(MixtralConfig config, NDManager manager, Map<String, NDArray> parameters, DataType type,
            int window) {
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.type = type;
        this.expertKind = ExpertKinds.fromClassPath().find(config.expertKind()).orElseThrow(() -> new IllegalArgumentException(
                "training needs expert kind '" + config.expertKind() + "' on the class path; known kinds: "
                        + ExpertKinds.fromClassPath().knownNames()));
        this.source = new ParameterSource(config, parameters);
        this.window = window;
        this.extra = new ExtraExperts(config.numHiddenLayers(), config.numLocalExperts(), manager,
                layer -> parameters.get(MixtralTensorLayout.gate(layer)));
    }

    /**
     * Fresh parameters: linear and embedding weights from N(0, 0.02²), the residual output projections
     * ({@code o_proj}, {@code w2}) scaled down by √(2·layers) as in GPT-2, norms at 1.
     *
     * @param window the longest training window {@link #forward} accepts
     */
    public static TrainableMixtral initialise(MixtralConfig config, long seed, int window, NDManager parent) {
        if (config.tieWordEmbeddings()) {
            throw new IllegalArgumentException("training supports untied embeddings only (tie_word_embeddings=false)");
        }
        NDManager manager = parent.newSubManager();
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, NDArray> parameters = new LinkedHashMap<>();
        for (MixtralTensorLayout.Expected expected : MixtralTensorLayout.expected(config).values()) {
            String name = expected.name();
            long[] shape = expected.shape();
            float[] values = name.endsWith("layernorm.weight") || name.equals(MixtralTensorLayout.FINAL_NORM)
                    ? ones(shape)
                    : normal(random, shape, name.contains("o_proj") || name.endsWith("w2.weight")
                            ? 0.02 / Math.sqrt(2.0 * config.numHiddenLayers()) : 0.02);
            NDArray parameter;
            // manager.create() wraps a Java direct buffer (16-byte aligned, wherever malloc put it); the copy lives
            // in PyTorch's own 64-byte aligned memory, like the parameters of a resumed run (fromCheckpoint), so a
            // run and its resumption hand the BLAS kernels the same alignment (MKL may pick its code path by it).
            try (NDArray staged = manager.create(values, new Shape(shape))) {
                parameter = staged.duplicate();
            }
            parameter.setRequiresGradient(true);
            parameters.put(name, parameter);
        }
        return new TrainableMixtral(config, manager, parameters, DataType.FLOAT32, window);
    }

    /**
     * Parameters copied from a checkpoint (as float32), to continue training it or to check this forward pass
     * against a reference computed on that checkpoint.
     */
    public static TrainableMixtral fromCheckpoint(Checkpoint checkpoint, int window, NDManager parent) {
        return fromCheckpoint(checkpoint, window, parent, DataType.FLOAT32);
    }

    /** Like {@link #fromCheckpoint(Checkpoint, int, NDManager)} in {@code type}; FLOAT64 serves gradient checks. */
    public static TrainableMixtral fromCheckpoint(Checkpoint checkpoint, int window, NDManager parent, DataType type) {
        MixtralConfig config = checkpoint.config();
        if (config.tieWordEmbeddings()) {
            throw new IllegalArgumentException("training supports untied embeddings only (tie_word_embeddings=false)");
        }
        NDManager manager = parent.newSubManager();
        Map<String, NDArray> parameters = new LinkedHashMap<>();
        for (String name : MixtralTensorLayout.expected(config).keySet()) {
            // A private copy: the loaded array may share the checkpoint's read-only memory map.
            NDArray parameter;
            try (NDArray loaded = checkpoint.load(name, manager, DataType.FLOAT32)) {
                parameter = loaded.toType(type, true);
            }
            parameter.setRequiresGradient(true);
            parameters.put(name, parameter);
        }
        return new TrainableMixtral(config, manager, parameters, type, window);
    }

    public MixtralConfig config() {
        return config;
    }

    /** The trainable tensors by Hugging Face name, in checkpoint order. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * What an expert added by {@link #addExpert} must look like: this model's width, type and device, and its products
     * on PyTorch so that they record gradients ({@code kindOptions} over that).
     */
    public ExpertSpec expertSpec(Map<String, String> kindOptions) {
        Map<String, String> options = new LinkedHashMap<>(kindOptions);
        options.put(VectorKernels.EXPERT_OPTION, "false");
        return new ExpertSpec(config.hiddenSize(), config.expertIntermediateSize(), type, manager.getDevice(), options);
    }

    /**
     * Adds a frozen expert to every layer after the checkpoint's (and earlier added) ones, as the serving lifecycle adds
     * a contributed expert: {@code perLayer} (built with {@link #expertSpec}; this model closes them), its router rows
     * {@code rows [layer][hidden]} ({@link #routerRow}) and its selection bias. From then on each layer routes with a
     * router of its own, the checkpoint's rows copied (the gate parameters stay as they are). Every layer must be sparse.
     *
     * @return the expert's index in every layer
     */
    public int addExpert(List<Expert> perLayer, float[][] rows, float selectionBias) {
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            if (!config.isSparse(l)) {
                throw new IllegalArgumentException("layer " + l + " is dense: an added expert needs a router in every layer");
            }
        }
        return extra.add(perLayer, rows, selectionBias);
    }

    /** Masks expert {@code expert} of layer {@code layer} out of routing, or lets routing choose it again. */
    public void setDisabled(int layer, int expert, boolean disabled) {
        extra.setDisabled(layer, expert, disabled);
    }

    /** The selection bias of expert {@code expert} of layer {@code layer} (0 unless set). */
    public void setSelectionBias(int layer, int expert, float bias) {
        extra.setSelectionBias(layer, expert, bias);
    }

    /** How many experts each layer routes over: the checkpoint's and the added ones. */
    public int experts() {
        return extra.experts();
    }

    /**
     * The tensor that holds router row {@code expert} of layer {@code layer}, and the row's index in it: the layer's
     * gate parameter, or once an expert was added, the layer's router of all experts (checkpoint rows copied).
     */
    public RouterRow routerRow(int layer, int expert) {
        Objects.checkIndex(expert, experts());
        NDArray own = extra.gate(layer);
        return new RouterRow(own != null ? own : parameters.get(MixtralTensorLayout.gate(layer)), expert);
    }

    /** Row {@code row} of {@code tensor} is a router row ({@link #routerRow}). */
    public record RouterRow(NDArray tensor, int row) {}

    /**
     * Every tensor that gets gradients: the parameters and, once an expert was added, the layers' own routers in place
     * of the gate parameters (which no pass reaches then).
     */
    List<NDArray> gradientHolders() {
        List<NDArray> ownGates = extra.gates();
        List<NDArray> holders = new ArrayList<>(parameters.values());
        if (!ownGates.isEmpty()) {
            for (int l = 0; l < config.numHiddenLayers(); l++) {
                holders.remove(parameters.get(MixtralTensorLayout.gate(l)));
            }
            holders.addAll(ownGates);
        }
        return holders;
    }

    public long parameterCount() {
        return parameters.values().stream().mapToLong(NDArray::size).sum();
    }

    /**
     * The loss of predicting {@code targets} from {@code inputs} (both {@code [batch][window]}); every
     * intermediate array is attached to {@code step}.
     *
     * @param balanceWeight weight of the load-balancing loss {@code E · Σ f_i · P_i} (1 when balanced)
     * @param zWeight weight of the router z-loss (mean squared log-sum-exp of the router logits)
     */
    public Loss loss(NDManager step, int[][] inputs, int[][] targets, float balanceWeight, float zWeight) {
        Forward forward = forward(step, inputs);
        NDArray targetIds = step.create(flatten(targets)).reshape(-1, 1);
        NDArray crossEntropy = forward.logits().logSoftmax(-1).gather(targetIds, 1).mean().neg();
        NDArray total = crossEntropy.add(forward.balance().mul(GraphConstant.scalar(step, balanceWeight)))
                .add(forward.routerZ().mul(GraphConstant.scalar(step, zWeight)));
        return new Loss(total, crossEntropy, forward.balance(), forward.routerZ(), forward.decisions());
    }

    /** Logits {@code [batch·window, vocab]}, the layer-averaged router losses and each layer's routing of one forward pass. */
    public record Forward(NDArray logits, NDArray balance, NDArray routerZ, List<RoutingDecision> decisions) {}

    /**
     * The forward pass over {@code inputs} ({@code [batch][window]}, positions from 0), attached to {@code step}:
     * the serving model's own layers ({@link TrainingForward}), then the router losses of each layer's routing.
     */
    public Forward forward(NDManager step, int[][] inputs) {
        if (inputs[0].length > window) {
            throw new IllegalArgumentException("windows of " + inputs[0].length + " tokens are longer than the "
                    + window + " this model was set up for");
        }
        TrainingForward.Output output = TrainingForward.run(source, expertKind, type, step, inputs, extra);
        NDArray balance = step.zeros(new Shape(), type);
        NDArray routerZ = step.zeros(new Shape(), type);
        for (int layer = 0; layer < output.decisions().size(); layer++) {
            NDArray gateLogits = output.gateLogits().get(layer); // (tokens, numExperts)
            balance = balance.add(RouterLosses.balance(gateLogits, output.decisions().get(layer)));
            routerZ = routerZ.add(RouterLosses.routerZ(gateLogits));
        }
        NDArray layers = GraphConstant.scalar(step, config.numHiddenLayers());
        return new Forward(output.logits(), balance.div(layers), routerZ.div(layers), output.decisions());
    }

    /** Writes {@code config.json} and {@code model.safetensors} into {@code directory}. */
    public void save(Path directory, TensorDtype dtype) {
        SafetensorsWriter writer = new SafetensorsWriter(dtype);
        parameters.forEach((name, value) -> writer.add(name, value.getShape().getShape(), value.toFloatArray()));
        writer.write(directory.resolve("model.safetensors"));
        MixtralConfigWriter.write(config, dtype == TensorDtype.BF16 ? "bfloat16" : "float32",
                directory.resolve("config.json"));
    }

    @Override
    public void close() {
        try {
            extra.close();
        } finally {
            manager.close();
        }
    }

    private static long[] flatten(int[][] rows) {
        long[] flat = new long[rows.length * rows[0].length];
        int i = 0;
        for (int[] row : rows) {
            for (int id : row) {
                flat[i++] = id;
            }
        }
        return flat;
    }

    private static float[] ones(long[] shape) {
        float[] values = new float[count(shape)];
        Arrays.fill(values, 1f);
        return values;
    }

    private static float[] normal(SplittableRandom random, long[] shape, double std) {
        float[] values = new float[count(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return values;
    }

    private static int count(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return Math.toIntExact(count);
    }
}
