package dev.switchboard.experts.swiglu;

import dev.switchboard.spi.ExpertDescriptor;
import dev.switchboard.spi.ExpertKind;
import dev.switchboard.spi.ExpertProvider;
import dev.switchboard.spi.SpiVersion;
import java.util.List;

/**
 * The built-in provider of Mixtral's SwiGLU expert kind ({@code swiglu}). Cheap: allocates nothing
 * until {@link SwiGluKind#create} is called.
 */
public final class SwiGluProvider implements ExpertProvider {

    /** This module's version (the project version). */
    public static final String VERSION = "0.1.0";

    private static final ExpertDescriptor DESCRIPTOR = new ExpertDescriptor("swiglu", VERSION, SpiVersion.CURRENT);

    @Override
    public ExpertDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<ExpertKind> kinds() {
        return List.of(new SwiGluKind());
    }
}
