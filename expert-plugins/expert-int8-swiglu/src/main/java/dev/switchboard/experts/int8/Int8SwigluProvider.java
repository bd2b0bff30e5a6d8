package dev.switchboard.experts.int8;

import dev.switchboard.spi.ExpertDescriptor;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertProvider;
import dev.switchboard.spi.SpiVersion;
import java.util.List;

/** Built-in provider of the {@value Int8SwigluKind#NAME} expert kind. */
public final class Int8SwigluProvider implements ExpertProvider {

    private static final ExpertDescriptor DESCRIPTOR = new ExpertDescriptor("int8-swiglu", "0.1.0", SpiVersion.CURRENT);

    @Override
    public ExpertDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<ExpertKind> kinds() {
        return List.of(new Int8SwigluKind());
    }
}
