package dev.switchboard.spi;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.Objects;

/**
 * What an expert must look like to fit in a layer.
 *
 * @param dModel the model width: input and output are {@code [n, dModel]}
 * @param dFf the expert's inner width (Mixtral's {@code intermediate_size})
 * @param dataType the working precision of activations
 * @param device where the expert's tensors live
 * @param options kind-specific options (strings, documented by each kind); never {@code null}
 */
public record ExpertSpec(int dModel, int dFf, DataType dataType, Device device, Map<String, String> options) {

    public ExpertSpec {
        if (dModel <= 0 || dFf <= 0) {
            throw new IllegalArgumentException("dModel and dFf must be positive, got " + dModel + " and " + dFf);
        }
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(device, "device");
        options = Map.copyOf(options == null ? Map.of() : options);
    }
}
