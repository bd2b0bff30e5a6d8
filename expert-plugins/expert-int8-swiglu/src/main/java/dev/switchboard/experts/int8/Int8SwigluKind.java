package dev.switchboard.experts.int8;

import ai.djl.ndarray.types.Shape;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.util.Set;

/**
 * Mixtral's SwiGLU expert, {@code y = w2 · (silu(w1 · x) ⊙ w3 · x)}, with its three matrices stored as
 * int8: weight-only, symmetric, one scale per output channel (row of the Hugging Face {@code [out, in]}
 * matrix), quantised once in {@link #create} and multiplied in int8 by the Java kernel (see {@link Int8SwigluExpert}).
 *
 * <p>Takes the same weights as {@code swiglu}, so a layer can switch implementation without a new
 * checkpoint: {@code w1}, {@code w3}: {@code [dFf, dModel]}; {@code w2}: {@code [dModel, dFf]}.
 *
 * <p>Quantisation of a row {@code w}: {@code scale = max|w| / 127}, {@code q = clip(round(w / scale), -127, 127)};
 * each weight is then within {@code scale / 2} of {@code q · scale}. Weights take a quarter of the float32
 * memory (plus 4 bytes per output channel); see docs/PERFORMANCE.md for speed and logit error. No options.
 */
public final class Int8SwigluKind implements ExpertKind {

    /** The kind's name in model configuration. */
    public static final String NAME = "int8-swiglu";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> weightNames() {
        return Set.of("w1", "w2", "w3");
    }

    @Override
    public Expert create(ExpertSpec spec, ExpertWeights weights) {
        Shape up = new Shape(spec.dFf(), spec.dModel());
        return new Int8SwigluExpert(
                spec,
                weights.get("w1", up),
                weights.get("w2", new Shape(spec.dModel(), spec.dFf())),
                weights.get("w3", up));
    }
}
