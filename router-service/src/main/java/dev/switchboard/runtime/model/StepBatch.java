package dev.switchboard.runtime.model;

import dev.switchboard.runtime.routing.RoutingPhase;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packing of a step's inputs into one run of tokens: input i's new tokens are rows
 * {@code offset(i) .. offset(i+1)} of every {@code (tokens, ...)} tensor, at positions
 * {@code start(i) ..} of its sequence. Serving steps extend cached sequences; training steps are whole
 * windows from position 0 with no sequence behind them.
 */
final class StepBatch {

    private final SequenceState[] sequences; // null entries for training windows
    private final int[] offsets; // (inputs + 1)
    private final int[] tokenIds; // (tokens)
    private final int[] positions; // (tokens)
    private final int[] starts; // (inputs)

    private StepBatch(SequenceState[] sequences, int[] offsets, int[] tokenIds, int[] positions, int[] starts) {
        this.sequences = sequences;
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
        SequenceState[] sequences = inputs.stream().map(StepInput::sequence).toArray(SequenceState[]::new);
        return new StepBatch(sequences, offsets, tokenIds, positions, starts);
    }

    /** Training windows {@code [batch][window]}, each from position 0, of one length. */
    static StepBatch ofWindows(int[][] windows, int vocabSize) {
        int window = windows[0].length;
        int[] offsets = new int[windows.length + 1];
        int[] tokenIds = new int[windows.length * window];
        int[] positions = new int[tokenIds.length];
        for (int i = 0; i < windows.length; i++) {
            if (windows[i].length != window) {
                throw new IllegalArgumentException("training windows must have one length; window 0 has " + window
                        + " tokens, window " + i + " has " + windows[i].length);
            }
            offsets[i + 1] = offsets[i] + window;
            for (int j = 0; j < window; j++) {
                int id = windows[i][j];
                if (id < 0 || id >= vocabSize) {
                    throw new IllegalArgumentException("window " + i + " token " + j + " has id " + id
                            + ", outside the vocabulary [0, " + vocabSize + ")");
                }
                tokenIds[offsets[i] + j] = id;
                positions[offsets[i] + j] = j;
            }
        }
        return new StepBatch(new SequenceState[windows.length], offsets, tokenIds, positions, new int[windows.length]);
    }

    int size() {
        return sequences.length;
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

    /** The cached sequence input {@code input} extends; null for a training window. */
    SequenceState sequence(int input) {
        return sequences[input];
    }

    int[] tokenIds() {
        return tokenIds;
    }

    int[] positions() {
        return positions;
    }

    /** Decode when every input adds one token to a non-empty sequence; prefill otherwise. */
    RoutingPhase phase() {
        for (int i = 0; i < size(); i++) {
            if (count(i) != 1 || starts[i] == 0) {
                return RoutingPhase.PREFILL;
            }
        }
        return RoutingPhase.DECODE;
    }

    /** Row of each input's last new token. */
    long[] lastRows() {
        long[] rows = new long[size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = offsets[i + 1] - 1;
        }
        return rows;
    }
}
