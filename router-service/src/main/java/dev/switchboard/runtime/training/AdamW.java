package dev.switchboard.runtime.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.MixtralConfigWriter;
import dev.switchboard.runtime.checkpoint.SafetensorsWriter;
import dev.switchboard.runtime.checkpoint.TensorDtype;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW whose state is ours to save and restore, so that training can resume. The update is DJL's own
 * {@code Optimizer.adamW()}: the same native {@code adamUpdate} with the same arguments (β 0.9/0.999, ε 1e-8,
 * bias correction folded into the learning rate, no rescaling or clipping there), so results match DJL's
 * optimiser; DJL keeps its moments private, which is why it is not used directly.
 *
 * <p>Moments are created as zeros on a parameter's first update, in the parameter's manager, like DJL's.
 */
final class AdamW {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final TrainingOptions options;
    private final Map<String, NDArray> means = new LinkedHashMap<>();
    private final Map<String, NDArray> variances = new LinkedHashMap<>();
    private int updates;

    AdamW(TrainingOptions options) {
        this.options = options;
    }

    /** Applied updates so far; the learning rate schedule and bias correction count these, as DJL does. */
    int updates() {
        return updates;
    }

    /** Starts an applied step: every parameter's update in it uses the same count. */
    void beginStep() {
        updates++;
    }

    /** Updates {@code weight} in place and zeroes {@code gradient} (the native update does), ready for the next step. */
    void update(String name, NDArray weight, NDArray gradient) {
        int t = updates;
        double coef1 = 1.0 - Math.pow(BETA1, t);
        double coef2 = 1.0 - Math.pow(BETA2, t);
        float learningRate = options.learningRateAt(t);
        float corrected = (float) (learningRate * Math.sqrt(coef2) / coef1);
        NDArray mean = means.computeIfAbsent(name, k -> weight.zerosLike());
        NDArray variance = variances.computeIfAbsent(name, k -> weight.zerosLike());
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, gradient, mean, variance), new NDList(weight),
                learningRate, corrected, options.weightDecay(), 1f, -1f, BETA1, BETA2, EPSILON, true, true);
    }

    /** Writes the moments as two float32 checkpoints under the parameters' names: {@code adam-mean/}, {@code adam-variance/}. */
    void save(Path directory, MixtralConfig config) {
        write(means, directory.resolve("adam-mean"), config);
        write(variances, directory.resolve("adam-variance"), config);
    }

    /** Restores the moments and update count saved by {@link #save}, into the managers of {@code parameters}. */
    void restore(Path directory, Map<String, NDArray> parameters, int savedUpdates) {
        read(means, directory.resolve("adam-mean"), parameters);
        read(variances, directory.resolve("adam-variance"), parameters);
        updates = savedUpdates;
    }

    private static void write(Map<String, NDArray> moments, Path directory, MixtralConfig config) {
        SafetensorsWriter writer = new SafetensorsWriter(TensorDtype.F32);
        moments.forEach((name, value) -> writer.add(name, value.getShape().getShape(), value.toFloatArray()));
        TrainingState.createDirectories(directory);
        writer.write(directory.resolve("model.safetensors"));
        MixtralConfigWriter.write(config, "float32", directory.resolve("config.json"));
    }

    private static void read(Map<String, NDArray> moments, Path directory, Map<String, NDArray> parameters) {
        moments.clear();
        try (Checkpoint checkpoint = Checkpoint.open(directory)) {
            for (Map.Entry<String, NDArray> parameter : parameters.entrySet()) {
                // A private copy in the parameter's manager: the loaded array may share the file's memory map.
                try (NDArray loaded = checkpoint.load(parameter.getKey(), parameter.getValue().getManager(), DataType.FLOAT32)) {
                    moments.put(parameter.getKey(), loaded.toType(DataType.FLOAT32, true));
                }
            }
        }
    }
}
