package dev.switchboard.runtime.model;

/**
 * An expert that failed at run time and was disabled by the model (fault isolation): its forward threw
 * or returned the wrong shape. The step that hit it re-routed the layer's tokens without it.
 *
 * @param layer MoE layer index
 * @param expert expert index within the layer
 * @param reason what went wrong, for logs and the expert table
 * @param cause the exception thrown by the expert, or {@code null} for a wrong output shape
 */
public record ExpertFault(int layer, int expert, String reason, Throwable cause) {}
