package dev.switchboard.experts.example;

import dev.switchboard.spi.ContributedExpert;
import dev.switchboard.spi.ExpertDescriptor;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertProvider;
import dev.switchboard.spi.SpiVersion;
import java.util.List;

/**
 * An example external plugin: offers the {@code relu-mlp} expert kind and contributes one whole expert,
 * {@code example-relu}, whose weights (for the 2-layer, d_model 64, d_ff 128 test model) and calibration
 * text ship in this jar under {@code experts/example-relu/}.
 *
 * <p>Like every provider it is a cheap factory: no I/O, threads or native memory in the constructor.
 */
public final class ReluMlpPlugin implements ExpertProvider {

    private static final ExpertDescriptor DESCRIPTOR =
            new ExpertDescriptor("example-relu-mlp", "1.0.0", SpiVersion.CURRENT);

    @Override
    public ExpertDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<ExpertKind> kinds() {
        return List.of(new ReluMlpKind());
    }

    @Override
    public List<ContributedExpert> contributedExperts() {
        // Selection bias 1.0: enough for the new expert to win some top-k slots on a model whose router
        // was never trained with it.
        return List.of(new ContributedExpert("example-relu", ReluMlpKind.NAME, "experts/example-relu", 1.0f));
    }
}
