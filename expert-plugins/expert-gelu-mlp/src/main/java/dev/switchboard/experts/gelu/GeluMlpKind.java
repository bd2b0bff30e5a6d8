package dev.switchboard.experts.gelu;

import ai.djl.ndarray.types.Shape;
import dev.switchboard.spi.Expert;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertSpec;
import dev.switchboard.spi.ExpertWeights;
import java.util.Set;

/**
 * The Switch Transformer / GShard expert feed-forward network, {@code y = w2 · gelu(w1 · x)}
 * (Fedus et al. 2021, arXiv:2101.03961, eq. 1 with the T5 FFN; Lepikhin et al. 2020, arXiv:2006.16668).
 *
 * <p>Weights, Hugging Face layout {@code [out, in]}:
 * <ul>
 *   <li>{@code w1}: {@code [dFf, dModel]}, the input projection ({@code wi} in T5/Switch checkpoints)</li>
 *   <li>{@code w2}: {@code [dModel, dFf]}, the output projection ({@code wo})</li>
 * </ul>
 * {@code gelu} is the exact form {@code x · Φ(x) = x/2 · (1 + erf(x/√2))} (PyTorch's default), not the
 * tanh approximation. No biases (Switch and GShard experts have none). No options.
 */
public final class GeluMlpKind implements ExpertKind {

    /** The kind's name in model configuration. */
    public static final String NAME = "gelu-mlp";

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
        return new GeluMlpExpert(
                spec,
                weights.get("w1", new Shape(spec.dFf(), spec.dModel())),
                weights.get("w2", new Shape(spec.dModel(), spec.dFf())));
    }
}
