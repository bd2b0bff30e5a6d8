package dev.switchboard.experts.swiglu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.kernels.VectorKernels;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.util.Set;

/**
 * The {@code swiglu} expert kind: Mixtral's feed-forward network {@code w2(silu(w1·x) ⊙ w3·x)}
 * (Hugging Face {@code MixtralBlockSparseTop2MLP}). Weights in Hugging Face layout:
 * {@code w1, w3: [dFf, dModel]}, {@code w2: [dModel, dFf]}. Option {@code java-kernels=false}
 * ({@link VectorKernels#EXPERT_OPTION}) keeps decode on PyTorch. Stateless and thread-safe.
 */
public final class SwiGluKind implements ExpertKind {

    /** The name model configurations use for this kind. */
    public static final String NAME = "swiglu";

    private static final Set<String> WEIGHTS = Set.of("w1", "w2", "w3");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> weightNames() {
        return WEIGHTS;
    }

    @Override
    public Expert create(ExpertSpec spec, ExpertWeights weights) {
        NDArray w1 = checked(weights, "w1", new Shape(spec.dFf(), spec.dModel()), "(dFf, dModel)");
        NDArray w3 = checked(weights, "w3", new Shape(spec.dFf(), spec.dModel()), "(dFf, dModel)");
        NDArray w2 = checked(weights, "w2", new Shape(spec.dModel(), spec.dFf()), "(dModel, dFf)");
        NDManager owned = NDManager.newBaseManager(spec.device(), w1.getManager().getEngine().getEngineName());
        owned.setName("expert-swiglu");
        try {
            return new SwiGluExpert(
                    owned,
                    contiguousCopy(w1, spec, owned, false), // (dFf, dModel)
                    contiguousCopy(w3, spec, owned, false), // (dFf, dModel)
                    contiguousCopy(w2, spec, owned, true), // (dFf, dModel) = w2ᵀ
                    VectorKernels.allowedBy(spec.options()));
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    private static NDArray checked(ExpertWeights weights, String name, Shape expected, String symbolic) {
        if (!weights.names().contains(name)) {
            throw new IllegalArgumentException(
                    "swiglu expert needs weight '" + name + "' " + symbolic + " = " + expected + ", but only "
                            + weights.names() + " were given");
        }
        NDArray w = weights.get(name);
        if (!w.getShape().equals(expected)) {
            throw new IllegalArgumentException(
                    "swiglu weight '" + name + "' must have shape " + symbolic + " = " + expected + ", got " + w.getShape());
        }
        return w;
    }

    /**
     * A contiguous copy in the working type, owned by {@code owner}, transposed or not. All three matrices end up
     * {@code (dFf, dModel)}: one row per inner unit, the layout the CPU kernel reads (see {@link SwiGluExpert}).
     * Flattening a transposed view forces the copy.
     */
    private static NDArray contiguousCopy(NDArray w, ExpertSpec spec, NDManager owner, boolean transpose) {
        Shape shape = w.getShape();
        try (NDManager scratch = w.getManager().newSubManager()) {
            NDArray typed = w.getDataType() == spec.dataType() ? w : w.toType(spec.dataType(), false);
            if (typed != w) {
                typed.attach(scratch);
            }
            NDArray view = transpose ? typed.transpose() : typed;
            if (view != typed) {
                view.attach(scratch);
            }
            NDArray flat = view.reshape(-1); // contiguous
            flat.attach(scratch);
            // Never the caller's memory: without a transpose or cast, flat is a view of w, so it is copied by an op
            // autograd records (not duplicate(): DJL's clone leaves the graph, measured by TrainableMixtralGradientTest,
            // and training builds experts from parameters that record gradients).
            NDArray copy = !transpose && typed == w ? flat.add(0f) : flat;
            if (copy != flat) {
                copy.attach(scratch);
            }
            Shape copied = transpose ? new Shape(shape.get(1), shape.get(0)) : shape;
            NDArray result = copy.reshape(copied).toDevice(spec.device(), false);
            result.attach(owner);
            return result;
        }
    }
}
