package dev.switchboard.app.routingstats;

import dev.switchboard.runtime.routing.LayerRoutingStats;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The open window's running totals of one layer, model, domain and expert count. Adders are striped
 * internally, so concurrent requests adding to the same layer do not contend on one cache line.
 */
final class LayerAccumulator {

    private final int numExperts;
    private final LongAdder steps = new LongAdder();
    private final LongAdder tokens = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final DoubleAdder auxLossSum = new DoubleAdder();
    private final DoubleAdder zLossSum = new DoubleAdder();
    private final DoubleAdder entropySum = new DoubleAdder();
    private final LongAdder consecutivePairs = new LongAdder();
    private final LongAdder sameFirstPairs = new LongAdder();
    private final LongAdder firstOrSecondPairs = new LongAdder();
    private final LongAdder[] firstChoice;
    private final LongAdder[] anyChoice;
    private final DoubleAdder[] routerProbabilitySum;

    LayerAccumulator(int numExperts) {
        this.numExperts = numExperts;
        firstChoice = new LongAdder[numExperts];
        anyChoice = new LongAdder[numExperts];
        routerProbabilitySum = new DoubleAdder[numExperts];
        for (int e = 0; e < numExperts; e++) {
            firstChoice[e] = new LongAdder();
            anyChoice[e] = new LongAdder();
            routerProbabilitySum[e] = new DoubleAdder();
        }
    }

    /** Adds one forward step. z-loss and entropy arrive as means over the step's tokens: stored as sums. */
    void add(LayerRoutingStats step) {
        steps.increment();
        tokens.add(step.tokens());
        dropped.add(step.droppedTokens());
        auxLossSum.add(step.auxLoss());
        zLossSum.add(step.zLoss() * step.tokens());
        entropySum.add(step.entropy() * step.tokens());
        for (int e = 0; e < numExperts; e++) {
            long first = step.firstChoice()[e];
            long any = step.anyChoice()[e];
            double prob = step.routerProbabilitySum()[e];
            // Most experts get no token in a decode step: skip the adder to save the write.
            if (first != 0) firstChoice[e].add(first);
            if (any != 0) anyChoice[e].add(any);
            if (prob != 0) routerProbabilitySum[e].add(prob);
        }
    }

    /** Adds one consecutive-token pair (Mixtral Table 5). */
    void addPair(boolean sameFirst, boolean firstOrSecond) {
        consecutivePairs.increment();
        if (sameFirst) sameFirstPairs.increment();
        if (firstOrSecond) firstOrSecondPairs.increment();
    }

    /** Totals so far; exact only once no writer is inside the window. */
    LayerCounts snapshot() {
        long[] first = new long[numExperts];
        long[] any = new long[numExperts];
        double[] prob = new double[numExperts];
        for (int e = 0; e < numExperts; e++) {
            first[e] = firstChoice[e].sum();
            any[e] = anyChoice[e].sum();
            prob[e] = routerProbabilitySum[e].sum();
        }
        return new LayerCounts(numExperts, steps.sum(), tokens.sum(), dropped.sum(), auxLossSum.sum(), zLossSum.sum(),
                entropySum.sum(), consecutivePairs.sum(), sameFirstPairs.sum(), firstOrSecondPairs.sum(), first, any, prob);
    }
}
