package dev.switchboard.runtime.model;

import dev.switchboard.runtime.routing.RoutingPhase;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packing of a step's inputs into one run of tokens: input i's new tokens are rows
 * {@code offset(i) .. offset(i+1)} of every {@code (tokens, ...)} tensor, at positions
 * {@code start(i) ..} of its sequence.
 */
final class StepBatch {

    private final List<StepInput> inputs;
    private final int[] offsets; // (inputs + 1)
    private final int[] tokenIds; // (tokens)
    private final int[] positions; // (tokens)
    private final int[] starts; // (inputs)

    private StepBatch(List<StepInput> inputs, int[] offsets, int[] tokenIds, int[] positions, int[] starts) {
        this.inputs = inputs;
        this.offsets = offsets;
        this.tokenIds = tokenIds;
        this.positions = positions;
        this.starts = starts;
    }

    /** Validates the inputs (open, distinct sequences; ids in the vocabulary) and packs them. */
    static StepBatch of(List<StepInput> inputs, int vocabSize) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a forward step needs at least one input, found none");
        }
        Map<SequenceState, Integer> seen = new IdentityHashMap<>();
        int[] offsets = new int[inputs.size() + 1];
        int[] starts = new int[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            StepInput input = inputs.get(i);
            input.sequence().requireOpen();
            Integer earlier = seen.put(input.sequence(), i);
            if (earlier != null) {
                throw new IllegalArgumentException("inputs " + earlier + " and " + i + " extend the same sequence;"
                        + " put all of a sequence's new tokens in one input");
            }
            offsets[i + 1] = offsets[i] + input.length();
            starts[i] = input.sequence().length();
        }
        int[] tokenIds = new int[offsets[inputs.size()]];
        int[] positions = new int[tokenIds.length];
        for (int i = 0; i < inputs.size(); i++) {
            int[] ids = inputs.get(i).newTokenIds();
            for (int j = 0; j < ids.length; j++) {
                if (ids[j] < 0 || ids[j] >= vocabSize) {
                    throw new IllegalArgumentException("input " + i + " token " + j + " has id " + ids[j]
                            + ", outside the vocabulary [0, " + vocabSize + ")");
                }
                tokenIds[offsets[i] + j] = ids[j];
                positions[offsets[i] + j] = starts[i] + j;
            }
        }
        return new StepBatch(List.copyOf(inputs), offsets, tokenIds, positions, starts);
    }

    int size() {
        return inputs.size();
    }

    int tokens() {
        return tokenIds.length;
    }

    int offset(int input) {
        return offsets[input];
    }

    int count(int input) {
        return offsets[input + 1] - offsets[input];
    }

    /** The sequence length before this step: the position of the input's first new token. */
    int start(int input) {
        return starts[input];
    }

    SequenceState sequence(int input) {
        return inputs.get(input).sequence();
    }

    int[] tokenIds() {
        return tokenIds;
    }

    int[] positions() {
        return positions;
    }

    /** Decode when every input adds one token to a non-empty sequence; prefill otherwise. */
    RoutingPhase phase() {
        for (int i = 0; i < inputs.size(); i++) {
            if (count(i) != 1 || starts[i] == 0) {
                return RoutingPhase.PREFILL;
            }
        }
        return RoutingPhase.DECODE;
    }

    /** Row of each input's last new token. */
    long[] lastRows() {
        long[] rows = new long[inputs.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = offsets[i + 1] - 1;
        }
        return rows;
    }
}
