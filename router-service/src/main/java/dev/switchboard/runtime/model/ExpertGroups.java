package dev.switchboard.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.switchboard.runtime.routing.RoutingDecision;

/**
 * A routing decision regrouped by expert (a counting sort over the CSR): expert e's tokens, in
 * ascending order, and the routing weight each of them gives e. The assignments, grouped by expert,
 * are the rows of one {@code (assignments, hidden)} tensor, so dispatching every token to its experts
 * is one gather and combining the weighted outputs per token is one gather and one sum, whatever the
 * number of experts: a handful of native calls per layer instead of several per expert.
 */
final class ExpertGroups {

    private final int tokenCount;
    private final int[] starts; // (numExperts + 1)
    private final int[] tokens; // (assignments) grouped by expert
    private final float[] weights; // (assignments) aligned with tokens
    private final int perToken; // the most experts any token has
    private final long[] combineRows; // (tokens·perToken) row of each token's j-th assignment; `assignments` = the zero row
    private final boolean padded; // some token has fewer than perToken experts, so a zero row is appended

    private ExpertGroups(int tokenCount, int[] starts, int[] tokens, float[] weights) {
        this.tokenCount = tokenCount;
        this.starts = starts;
        this.tokens = tokens;
        this.weights = weights;
        int[] counts = new int[tokenCount];
        for (int token : tokens) {
            counts[token]++;
        }
        int most = 0;
        for (int count : counts) {
            most = Math.max(most, count);
        }
        perToken = most;
        combineRows = new long[tokenCount * most];
        java.util.Arrays.fill(combineRows, tokens.length);
        int[] filled = new int[tokenCount];
        for (int slot = 0; slot < tokens.length; slot++) { // by expert, so each token's experts in ascending order
            int token = tokens[slot];
            combineRows[token * most + filled[token]++] = slot;
        }
        boolean anyShort = false;
        for (int count : counts) {
            anyShort |= count < most;
        }
        padded = anyShort;
    }

    static ExpertGroups of(RoutingDecision decision) {
        int numExperts = decision.numExperts();
        int[] experts = decision.experts();
        int[] starts = new int[numExperts + 1];
        for (int expert : experts) {
            starts[expert + 1]++;
        }
        for (int e = 0; e < numExperts; e++) {
            starts[e + 1] += starts[e];
        }
        int[] next = starts.clone();
        int[] tokens = new int[experts.length];
        float[] weights = new float[experts.length];
        int[] offsets = decision.offsets();
        for (int t = 0; t < decision.tokens(); t++) {
            for (int a = offsets[t]; a < offsets[t + 1]; a++) {
                int slot = next[experts[a]]++;
                tokens[slot] = t;
                weights[slot] = decision.weights()[a];
            }
        }
        return new ExpertGroups(decision.tokens(), starts, tokens, weights);
    }

    /** Tokens routed to expert {@code e}. */
    int count(int e) {
        return starts[e + 1] - starts[e];
    }

    /**
     * {@code hidden (tokens, hidden)} -> per expert e the {@code (count(e), hidden)} rows routed to it
     * (empty for an unused expert): {@code hidden} itself when every used expert takes every token
     * (batch-1 decode), otherwise views of one gather.
     */
    NDList dispatch(NDArray hidden) {
        int numExperts = starts.length - 1;
        NDList routed = new NDList(numExperts);
        boolean everyUsedTakesAll = true;
        for (int e = 0; e < numExperts; e++) {
            everyUsedTakesAll &= count(e) == 0 || count(e) == tokenCount; // tokens are distinct, so all of them
        }
        if (everyUsedTakesAll) {
            for (int e = 0; e < numExperts; e++) {
                routed.add(hidden);
            }
            return routed;
        }
        long[] rows = new long[tokens.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = tokens[i];
        }
        NDArray gathered = hidden.get(new NDIndex("{}", hidden.getManager().create(rows))); // (assignments, hidden)
        long[] boundaries = new long[numExperts - 1];
        for (int e = 1; e < numExperts; e++) {
            boundaries[e - 1] = starts[e];
        }
        return gathered.split(boundaries, 0);
    }

    /** The experts' outputs, in expert order, as one {@code (assignments [+ 1 zero row], hidden)} tensor. */
    NDArray concat(NDList expertOutputs, NDArray like) {
        if (padded) {
            expertOutputs.add(like.getManager().zeros(new Shape(1, like.getShape().get(1)), like.getDataType()));
        }
        return expertOutputs.size() == 1 ? expertOutputs.get(0) : NDArrays.concat(expertOutputs, 0);
    }

    /** {@code (assignments [+ 1], 1)}: the routing weight of each row of {@link #concat}, 0 for the zero row. */
    NDArray routingWeights(NDArray like) {
        float[] column = java.util.Arrays.copyOf(weights, weights.length + (padded ? 1 : 0));
        NDArray array = like.getManager().create(column, new Shape(column.length, 1));
        return like.getDataType() == DataType.FLOAT32 ? array : array.toType(like.getDataType(), false);
    }

    /**
     * The same column computed on the device from {@code probabilities (tokens, numExperts)}: each assignment's
     * router probability, divided by the sum over its token's chosen experts when {@code renormalise}. Equal to
     * the top-k decision's weights, and differentiable in {@code probabilities}.
     */
    NDArray routingWeights(NDArray probabilities, boolean renormalise) {
        NDManager manager = probabilities.getManager();
        int numExperts = starts.length - 1;
        long[] chosen = new long[tokens.length]; // flat (token, expert) index of each assignment
        long[] owner = new long[tokens.length];
        float[] keptMask = new float[tokenCount * numExperts];
        for (int e = 0; e < numExperts; e++) {
            for (int slot = starts[e]; slot < starts[e + 1]; slot++) {
                chosen[slot] = (long) tokens[slot] * numExperts + e;
                owner[slot] = tokens[slot];
                keptMask[tokens[slot] * numExperts + e] = 1f;
            }
        }
        NDArray weights = probabilities.reshape(-1).get(manager.create(chosen)); // (assignments): p_te
        if (renormalise) {
            NDArray mask = manager.create(keptMask, new Shape(tokenCount, numExperts)).toType(probabilities.getDataType(), false);
            NDArray keptSum = probabilities.mul(mask).sum(new int[] {-1}); // (tokens): Σ p over the token's chosen experts
            weights = weights.div(keptSum.get(manager.create(owner))); // (assignments)
        }
        if (padded) {
            weights = NDArrays.concat(new NDList(weights, manager.zeros(new Shape(1), weights.getDataType())), 0);
        }
        return weights.expandDims(1); // (assignments [+ 1], 1)
    }

    /**
     * {@code weighted (assignments [+ 1], hidden)} -> {@code (tokens, hidden)}: each token's rows summed,
     * its experts in ascending order (a token with fewer experts adds the zero row; a dropped token is 0).
     */
    NDArray sumPerToken(NDArray weighted) {
        long hidden = weighted.getShape().get(1);
        if (perToken == 0) {
            return weighted.getManager().zeros(new Shape(tokenCount, hidden), weighted.getDataType());
        }
        NDArray rows = isIdentity() ? weighted
                : weighted.get(new NDIndex("{}", weighted.getManager().create(combineRows))); // (tokens·perToken, hidden)
        return perToken == 1 ? rows : rows.reshape(tokenCount, perToken, hidden).sum(new int[] {1}); // (tokens, hidden)
    }

    /** Whether row-major (token, j) order is already the grouped order (true for one token). */
    private boolean isIdentity() {
        if (combineRows.length != tokens.length) {
            return false;
        }
        for (int i = 0; i < combineRows.length; i++) {
            if (combineRows[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** The {@code j}-th token routed to expert {@code e} (ascending), for the host decode path. */
    int token(int e, int j) {
        return tokens[starts[e] + j];
    }

    /** The routing weight the {@code j}-th token of expert {@code e} gives it. */
    float weight(int e, int j) {
        return weights[starts[e] + j];
    }

    /** Expert {@code e}'s rows of {@code hidden (tokens, width)}, a Java array, as {@code (count(e), width)}. */
    float[] rowsOf(int e, float[] hidden, int width) {
        float[] rows = new float[count(e) * width];
        for (int j = 0; j < count(e); j++) {
            System.arraycopy(hidden, token(e, j) * width, rows, j * width, width);
        }
        return rows;
    }
}
