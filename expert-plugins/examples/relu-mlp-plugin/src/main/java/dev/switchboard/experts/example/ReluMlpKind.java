package dev.switchboard.experts.example;

import ai.djl.ndarray.types.Shape;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.util.Set;

/**
 * {@code y = w2 · relu(w1 · x)}: the original Transformer feed-forward network (Vaswani et al. 2017,
 * eq. 2, without biases). Weights {@code w1} {@code [dFf, dModel]} and {@code w2} {@code [dModel, dFf]}.
 */
public final class ReluMlpKind implements ExpertKind {

    /** The kind's name in model configuration. */
    public static final String NAME = "relu-mlp";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> weightNames() {
        return Set.of("w1", "w2");
    }

    @Override
    public Expert create(ExpertSpec spec, ExpertWeights weights) {
        return new ReluMlpExpert(spec,
                weights.get("w1", new Shape(spec.dFf(), spec.dModel())),
                weights.get("w2", new Shape(spec.dModel(), spec.dFf())));
    }
}
