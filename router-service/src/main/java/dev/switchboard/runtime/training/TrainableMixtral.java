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
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A Mixtral model whose parameters carry gradients, for training the default model. It computes the same
 * function as the serving runtime (HF rotate-half RoPE, GQA, RMSNorm, softmax → top-k → renormalised
 * weights, SwiGLU experts) over whole windows with a causal mask, and dispatches sparsely: each expert
 * computes only the rows routed to it ({@link SparseMoe}).
 *
 * <p>Parameters are held under their Hugging Face names, so {@link #save} writes a checkpoint the runtime
 * loads unchanged.
 */
public final class TrainableMixtral implements AutoCloseable {

    /** The loss of one batch: next-token cross-entropy plus the weighted routing losses. */
    public record Loss(NDArray total, NDArray crossEntropy, NDArray balance, NDArray routerZ) {}

    private final MixtralConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final RotaryTable rotary;

    private TrainableMixtral(MixtralConfig config, NDManager manager, Map<String, NDArray> parameters, int window) {
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.rotary = new RotaryTable(manager, config.headDim(), config.ropeTheta(), window);
    }

    /**
     * Fresh parameters: linear and embedding weights from N(0, 0.02²), the residual output projections
     * ({@code o_proj}, {@code w2}) scaled down by √(2·layers) as in GPT-2, norms at 1.
     *
     * @param window the longest training window (rotary tables are built for it)
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
            NDArray parameter = manager.create(values, new Shape(shape));
            parameter.setRequiresGradient(true);
            parameters.put(name, parameter);
        }
        return new TrainableMixtral(config, manager, parameters, window);
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
        return new TrainableMixtral(config, manager, parameters, window);
    }

    public MixtralConfig config() {
        return config;
    }

    /** The trainable tensors by Hugging Face name, in checkpoint order. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
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
        NDArray total = crossEntropy.add(forward.balance().mul(balanceWeight)).add(forward.routerZ().mul(zWeight));
        return new Loss(total, crossEntropy, forward.balance(), forward.routerZ());
    }

    /** Logits {@code [batch·window, vocab]} and the layer-averaged router losses of one forward pass. */
    public record Forward(NDArray logits, NDArray balance, NDArray routerZ) {}

    /** The forward pass over {@code inputs} ({@code [batch][window]}, positions from 0), attached to {@code step}. */
    public Forward forward(NDManager step, int[][] inputs) {
        int batch = inputs.length;
        int window = inputs[0].length;
        NDArray ids = step.create(flatten(inputs));
        NDArray hidden = parameter(MixtralTensorLayout.EMBED_TOKENS).get(ids); // [batch·window, hidden]
        hidden.attach(step);
        NDArray mask = causalMask(step, window);
        NDArray balance = step.zeros(new Shape());
        NDArray routerZ = step.zeros(new Shape());
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            NDArray normed = rmsNorm(hidden, parameter(MixtralTensorLayout.inputLayernorm(layer)));
            hidden = hidden.add(attention(layer, normed, batch, window, mask));
            normed = rmsNorm(hidden, parameter(MixtralTensorLayout.postAttentionLayernorm(layer)));
            SparseMoe.Output moe = SparseMoe.forward(config, layer, parameters, normed);
            hidden = hidden.add(moe.output());
            balance = balance.add(moe.balanceLoss());
            routerZ = routerZ.add(moe.routerZLoss());
        }
        hidden = rmsNorm(hidden, parameter(MixtralTensorLayout.FINAL_NORM));
        NDArray logits = hidden.matMul(transposed(parameter(MixtralTensorLayout.LM_HEAD), step));
        float layers = config.numHiddenLayers();
        return new Forward(logits, balance.div(layers), routerZ.div(layers));
    }

    private NDArray attention(int layer, NDArray x, int batch, int window, NDArray mask) {
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        int headDim = config.headDim();
        NDArray q = project(x, MixtralTensorLayout.qProj(layer)).reshape(batch, window, heads, headDim).transpose(0, 2, 1, 3);
        NDArray k = project(x, MixtralTensorLayout.kProj(layer)).reshape(batch, window, kvHeads, headDim).transpose(0, 2, 1, 3);
        NDArray v = project(x, MixtralTensorLayout.vProj(layer)).reshape(batch, window, kvHeads, headDim).transpose(0, 2, 1, 3);
        q = rotary.apply(q, window);
        k = rotary.apply(k, window);
        if (kvHeads != heads) {
            // Grouped-query attention: query head h reads key/value head h / (heads / kvHeads), as in HF repeat_kv.
            Shape grouped = new Shape(batch, kvHeads, heads / kvHeads, window, headDim);
            k = k.expandDims(2).broadcast(grouped).reshape(batch, heads, window, headDim);
            v = v.expandDims(2).broadcast(grouped).reshape(batch, heads, window, headDim);
        }
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1.0 / Math.sqrt(headDim)).add(mask);
        NDArray attended = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch * window, heads * headDim);
        return project(attended, MixtralTensorLayout.oProj(layer));
    }

    private NDArray project(NDArray x, String weight) {
        return x.matMul(transposed(parameter(weight), x.getManager()));
    }

    /**
     * {@code weight}ᵀ owned by {@code step}. An operation's result belongs to its receiver's manager, so a
     * transpose taken of a parameter would otherwise pile up in the model's manager, one per step.
     */
    static NDArray transposed(NDArray weight, NDManager step) {
        NDArray transposed = weight.transpose();
        transposed.attach(step);
        return transposed;
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        return x.mul(meanSquare.add(config.rmsNormEps()).pow(-0.5)).mul(weight);
    }

    private NDArray parameter(String name) {
        return parameters.get(name);
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
        manager.close();
    }

    /** 0 on and below the diagonal, a large negative number above it (a future position). */
    private static NDArray causalMask(NDManager step, int window) {
        float[] mask = new float[window * window];
        for (int row = 0; row < window; row++) {
            for (int column = row + 1; column < window; column++) {
                mask[row * window + column] = -1e9f;
            }
        }
        return step.create(mask, new Shape(window, window));
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
