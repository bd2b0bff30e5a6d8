package dev.switchboard.runtime.serving;

import java.util.OptionalInt;

/**
 * The numbers of a loaded model a server needs.
 *
 * @param contextLength most tokens one sequence may hold (prompt plus completion)
 * @param layers MoE layers
 * @param experts experts per layer in the checkpoint (contributed experts added at run time are not counted)
 * @param expertsPerToken k of top-k routing
 * @param eosTokenId the end-of-sequence token that stops generation
 * @param promptBos the beginning-of-sequence token a plain-text prompt starts with; empty where the model's own
 *     tokenizer adds none (Qwen, OLMoE)
 * @param vocabSize number of token ids
 */
public record ModelShape(int contextLength, int layers, int experts, int expertsPerToken, int eosTokenId, OptionalInt promptBos,
        int vocabSize) {

    public ModelShape {
        if (contextLength < 2 || layers < 1 || experts < 1 || expertsPerToken < 1) {
            throw new IllegalArgumentException("a model needs a context of at least 2 tokens and at least one layer, "
                    + "expert and expert per token; found context " + contextLength + ", layers " + layers
                    + ", experts " + experts + ", k " + expertsPerToken);
        }
    }
}
