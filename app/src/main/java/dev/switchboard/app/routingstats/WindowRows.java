package dev.switchboard.app.routingstats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One closed window flattened into column arrays, the shape {@code unnest} takes: expert rows
 * (one per model, layer, domain and expert, zeros included so idle experts are visible) and layer rows.
 */
record WindowRows(
        String[] expertModels, Integer[] expertLayers, Integer[] experts, String[] expertDomains,
        Long[] firstChoice, Long[] anyChoice, Double[] routerProbabilitySum,
        String[] layerModels, Integer[] layers, String[] layerDomains, Integer[] numExperts,
        Long[] steps, Long[] tokens, Long[] dropped, Double[] auxLossSum, Double[] zLossSum, Double[] entropySum,
        Long[] consecutivePairs, Long[] sameFirstPairs, Long[] firstOrSecondPairs) {

    static WindowRows of(ClosedWindow window) {
        List<Map.Entry<LayerKey, LayerCounts>> entries = new ArrayList<>(window.layers().entrySet());
        int expertRows = entries.stream().mapToInt(e -> e.getValue().numExperts()).sum();
        int layerRows = entries.size();
        WindowRows rows = new WindowRows(
                new String[expertRows], new Integer[expertRows], new Integer[expertRows], new String[expertRows],
                new Long[expertRows], new Long[expertRows], new Double[expertRows],
                new String[layerRows], new Integer[layerRows], new String[layerRows], new Integer[layerRows],
                new Long[layerRows], new Long[layerRows], new Long[layerRows], new Double[layerRows], new Double[layerRows],
                new Double[layerRows], new Long[layerRows], new Long[layerRows], new Long[layerRows]);
        int row = 0;
        for (int i = 0; i < layerRows; i++) {
            LayerKey key = entries.get(i).getKey();
            LayerCounts c = entries.get(i).getValue();
            rows.layerModels[i] = key.modelId();
            rows.layers[i] = key.layer();
            rows.layerDomains[i] = key.domain();
            rows.numExperts[i] = c.numExperts();
            rows.steps[i] = c.steps();
            rows.tokens[i] = c.tokens();
            rows.dropped[i] = c.dropped();
            rows.auxLossSum[i] = c.auxLossSum();
            rows.zLossSum[i] = c.zLossSum();
            rows.entropySum[i] = c.entropySum();
            rows.consecutivePairs[i] = c.consecutivePairs();
            rows.sameFirstPairs[i] = c.sameFirstPairs();
            rows.firstOrSecondPairs[i] = c.firstOrSecondPairs();
            for (int e = 0; e < c.numExperts(); e++, row++) {
                rows.expertModels[row] = key.modelId();
                rows.expertLayers[row] = key.layer();
                rows.experts[row] = e;
                rows.expertDomains[row] = key.domain();
                rows.firstChoice[row] = c.firstChoice()[e];
                rows.anyChoice[row] = c.anyChoice()[e];
                rows.routerProbabilitySum[row] = c.routerProbabilitySum()[e];
            }
        }
        return rows;
    }

    /** The models the window has rows for (every expert row belongs to a layer row), each once. */
    String[] models() {
        return Arrays.stream(layerModels).distinct().toArray(String[]::new);
    }
}
