package dev.switchboard.experts.gelu;

import dev.switchboard.spi.ExpertDescriptor;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertProvider;
import dev.switchboard.spi.SpiVersion;
import java.util.List;

/** Built-in provider of the {@value GeluMlpKind#NAME} expert kind. */
public final class GeluMlpProvider implements ExpertProvider {

    private static final ExpertDescriptor DESCRIPTOR = new ExpertDescriptor("gelu-mlp", "0.1.0", SpiVersion.CURRENT);

    @Override
    public ExpertDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<ExpertKind> kinds() {
        return List.of(new GeluMlpKind());
    }
}
