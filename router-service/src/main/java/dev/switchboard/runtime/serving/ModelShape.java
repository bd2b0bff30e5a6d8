package dev.switchboard.runtime.serving;

/**
 * The numbers of a loaded model a server needs.
 *
 * @param contextLength most tokens one sequence may hold (prompt plus completion)
 * @param layers MoE layers
 * @param experts experts per layer in the checkpoint (contributed experts added at run time are not counted)
 * @param expertsPerToken k of top-k routing
 * @param eosTokenId the end-of-sequence token that stops generation
 * @param bosTokenId the beginning-of-sequence token a plain-text prompt starts with
 * @param vocabSize number of token ids
 */
public record ModelShape(int contextLength, int layers, int experts, int expertsPerToken, int eosTokenId, int bosTokenId,
        int vocabSize) {

    public ModelShape {
        if (contextLength < 2 || layers < 1 || experts < 1 || expertsPerToken < 1) {
            throw new IllegalArgumentException("a model needs a context of at least 2 tokens and at least one layer, "
                    + "expert and expert per token; found context " + contextLength + ", layers " + layers
                    + ", experts " + experts + ", k " + expertsPerToken);
        }
    }
}
