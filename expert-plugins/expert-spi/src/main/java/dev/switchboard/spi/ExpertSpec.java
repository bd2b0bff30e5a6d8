package dev.switchboard.spi;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.Objects;

/**
 * What an expert must look like to fit in a layer.
 *
 * <p>Model families size their feed-forward networks differently (docs/MODELS.md): Mixtral's and OLMoE's experts use
 * {@code intermediate_size}, Qwen's routed experts {@code moe_intermediate_size}, Qwen2-MoE's shared expert
 * {@code shared_expert_intermediate_size} and Qwen's dense layers {@code intermediate_size}. The host hands each
 * expert the spec of its own place, so {@link #dFf()} is always this expert's inner width and {@link #role()} says
 * which place it is. The weights come under the same names for every family ({@code w1} gate, {@code w3} up,
 * {@code w2} down; see {@link ExpertWeights}).
 *
 * @param dModel the model width: input and output are {@code [n, dModel]}
 * @param dFf this expert's inner width (Mixtral's {@code intermediate_size}; see above for the other families)
 * @param dataType the working precision of activations
 * @param device where the expert's tensors live
 * @param options kind-specific options (strings, documented by each kind); never {@code null}
 * @param role where the expert sits: routed (the default), a shared expert, or a dense layer's MLP (since SPI 1.2)
 */
public record ExpertSpec(int dModel, int dFf, DataType dataType, Device device, Map<String, String> options, Role role) {

    /** Where an expert sits in its layer (since SPI 1.2). */
    public enum Role {
        /** One of the experts the router chooses among; its output is weighted by its routing weight. */
        ROUTED,
        /** Qwen2-MoE's shared expert: runs on every token of a sparse layer, weighted by its own sigmoid gate. */
        SHARED,
        /** The MLP of a dense layer (Qwen's {@code mlp_only_layers}): every token, weight 1. */
        DENSE
    }

    public ExpertSpec {
        if (dModel <= 0 || dFf <= 0) {
            throw new IllegalArgumentException("dModel and dFf must be positive, got " + dModel + " and " + dFf);
        }
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(role, "role");
        options = Map.copyOf(options == null ? Map.of() : options);
    }

    /** A routed expert's spec (the SPI 1.1 constructor, kept so that providers built against it still link). */
    public ExpertSpec(int dModel, int dFf, DataType dataType, Device device, Map<String, String> options) {
        this(dModel, dFf, dataType, device, options, Role.ROUTED);
    }

    /** This spec for an expert of inner width {@code dFf} in {@code role} (same width, precision, device, options). */
    public ExpertSpec forRole(int dFf, Role role) {
        return new ExpertSpec(dModel, dFf, dataType, device, options, role);
    }
}
