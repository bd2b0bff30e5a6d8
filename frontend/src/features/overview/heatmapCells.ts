/**
 * Shapes one live window into the layer × expert heatmap: counts summed over domains, each expert's share
 * of its layer's assignments, and that share relative to the fair share 1/N.
 */
import type { LiveWindow } from '../../api/types';

export type Choice = 'first' | 'any';

export interface HeatCell {
  layer: number;
  expert: number;
  count: number;
  /** This expert's part of the layer's assignments (0 when the layer saw none). */
  share: number;
  /** share / (1/N): 1 is exactly fair, 2 twice its fair share, 0 idle. */
  ratioToFair: number;
}

export interface Heatmap {
  experts: number;
  fairShare: number;
  /** Tokens routed in the window, summed over layers' domains, per layer. */
  tokensPerLayer: number[];
  rows: HeatCell[][];
}

export function heatmapOf(window: LiveWindow, choice: Choice): Heatmap {
  const perLayer = new Map<number, { tokens: number; counts: number[] }>();
  for (const entry of window.layers) {
    const counts = choice === 'first' ? entry.firstChoice : entry.anyChoice;
    const row = perLayer.get(entry.layer) ?? { tokens: 0, counts: [] };
    row.tokens += entry.tokens;
    counts.forEach((count, expert) => { row.counts[expert] = (row.counts[expert] ?? 0) + count; });
    perLayer.set(entry.layer, row);
  }
  const layers = [...perLayer.keys()].sort((a, b) => a - b);
  const experts = Math.max(0, ...layers.map((layer) => perLayer.get(layer)?.counts.length ?? 0));
  const fairShare = experts === 0 ? 0 : 1 / experts;
  const rows = layers.map((layer) => {
    const counts = perLayer.get(layer)?.counts ?? [];
    const total = counts.reduce((sum, count) => sum + count, 0);
    return Array.from({ length: experts }, (_, expert) => {
      const count = counts[expert] ?? 0;
      const share = total === 0 ? 0 : count / total;
      return { layer, expert, count, share, ratioToFair: fairShare === 0 ? 0 : share / fairShare };
    });
  });
  return { experts, fairShare, tokensPerLayer: layers.map((layer) => perLayer.get(layer)?.tokens ?? 0), rows };
}

/**
 * Position on a diverging scale centred on the fair share: 0.5 is fair, 0 is four or more times the fair
 * share (hot), 1 is a quarter or less (cold); log2 so that 2× and ½× sit equally far from the centre.
 */
export function divergingPosition(ratioToFair: number): number {
  if (ratioToFair <= 0) {
    return 1;
  }
  return Math.min(1, Math.max(0, 0.5 - Math.log2(ratioToFair) / 4));
}
