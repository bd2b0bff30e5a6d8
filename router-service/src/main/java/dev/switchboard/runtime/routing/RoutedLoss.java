package dev.switchboard.runtime.routing;

/**
 * Some text measured with a model's current routers, for one expert: how well the model predicts it and how much of
 * its routing that expert takes (router calibration reports one per text and router-row choice).
 *
 * @param crossEntropy mean next-token cross-entropy in nats per token
 * @param share of all top-k places on the text's tokens, the share the expert took, averaged over the MoE layers
 */
public record RoutedLoss(double crossEntropy, double share) {}
