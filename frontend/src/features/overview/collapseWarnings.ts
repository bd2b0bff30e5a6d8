/**
 * Routing-collapse warnings: an expert whose share of its layer stayed above `above`× or below `below`× its
 * fair share 1/N in every bucket with traffic over the span (at least `minBuckets` of them). Shares are
 * summed over domains from /api/stats/utilisation rows.
 */
import type { ExpertUsage } from '../../api/types';

export interface CollapseRule {
  above: number;
  below: number;
  minBuckets: number;
}

export interface CollapseWarning {
  layer: number;
  expert: number;
  kind: 'hot' | 'cold';
  /** Lowest (hot) or highest (cold) ratio to the fair share over the span: how far it stayed from fair. */
  boundRatio: number;
  buckets: number;
}

export function collapseWarnings(rows: ExpertUsage[], numExperts: Map<number, number>, rule: CollapseRule): CollapseWarning[] {
  // counts[layer][bucket][expert]
  const counts = new Map<number, Map<string, Map<number, number>>>();
  for (const row of rows) {
    const buckets = counts.get(row.layer) ?? new Map<string, Map<number, number>>();
    const experts = buckets.get(row.bucketStart) ?? new Map<number, number>();
    experts.set(row.expert, (experts.get(row.expert) ?? 0) + row.anyChoice);
    buckets.set(row.bucketStart, experts);
    counts.set(row.layer, buckets);
  }
  const warnings: CollapseWarning[] = [];
  for (const [layer, buckets] of [...counts].sort((a, b) => a[0] - b[0])) {
    const n = numExperts.get(layer) ?? 0;
    const withTraffic = [...buckets.values()].filter((experts) => [...experts.values()].some((c) => c > 0));
    if (n === 0 || withTraffic.length < rule.minBuckets) continue;
    for (let expert = 0; expert < n; expert++) {
      const ratios = withTraffic.map((experts) => {
        const total = [...experts.values()].reduce((sum, c) => sum + c, 0);
        return ((experts.get(expert) ?? 0) / total) * n;
      });
      if (ratios.every((r) => r > rule.above)) {
        warnings.push({ layer, expert, kind: 'hot', boundRatio: Math.min(...ratios), buckets: ratios.length });
      } else if (ratios.every((r) => r < rule.below)) {
        warnings.push({ layer, expert, kind: 'cold', boundRatio: Math.max(...ratios), buckets: ratios.length });
      }
    }
  }
  return warnings;
}
