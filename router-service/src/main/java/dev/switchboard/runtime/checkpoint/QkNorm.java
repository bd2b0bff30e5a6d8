package dev.switchboard.runtime.checkpoint;

/** Where a family normalises queries and keys (RMSNorm, before RoPE). */
public enum QkNorm {
    /** Mixtral, Qwen2-MoE: no normalisation. */
    NONE,
    /** Qwen3-MoE: each head's {@code head_dim} values, one {@code [head_dim]} weight shared by all heads. */
    PER_HEAD,
    /** OLMoE: the whole q projection ({@code [heads·head_dim]} weight) and the whole k projection, before the head split. */
    WHOLE_PROJECTION
}
