package dev.switchboard.spi;

import ai.djl.ndarray.NDArray;

/**
 * One expert feed-forward network of one MoE layer.
 *
 * <p><b>Contract.</b> {@link #forward} receives only the tokens routed to this expert, as
 * {@code [n, dModel]} with {@code n >= 1}, and returns {@code [n, dModel]} in the same data type and
 * on the same device, attached to the input's {@link ai.djl.ndarray.NDManager} (so the caller's
 * per-step manager frees it). It must not keep references to its input or output.
 *
 * <p><b>Threads.</b> {@code forward} may be called concurrently from several threads; implementations
 * hold only immutable state after construction.
 *
 * <p><b>Lifecycle.</b> Created by {@link ExpertKind#create}; {@link #close()} frees its native memory.
 * The host calls it at most once per expert, after the last {@code forward} has returned (the table swap
 * and the plugin's unload may both release an expert; the host's own wrapper passes on only the first
 * call). Implementations make it idempotent all the same, for callers outside the host such as tests.
 */
public interface Expert extends AutoCloseable {

    /** {@code [n, dModel] -> [n, dModel]} for the n tokens routed here. */
    NDArray forward(NDArray tokens);

    /** Number of parameters (scalars), for the expert table. */
    long parameterCount();

    /** Bytes of native memory this expert holds. */
    long memoryBytes();

    /** Frees the expert's native memory. Called at most once by the host; idempotent all the same. */
    @Override
    void close();
}
