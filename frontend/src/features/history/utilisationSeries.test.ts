import { describe, expect, it } from 'vitest';
import type { ExpertUsage } from '../../api/types';
import { layerUtilisation } from './utilisationSeries';

function usage(bucketStart: string, domain: string, layer: number, expert: number, anyChoice: number): ExpertUsage {
  return { bucketStart, domain, layer, expert, firstChoice: 0, anyChoice, routerProbabilitySum: 0, share: 0 };
}

describe('layerUtilisation', () => {
  it('gives each expert its share of the layer per bucket, summed over domains, with the fair-share line', () => {
    const t = '2026-01-01T00:00:00Z';
    const result = layerUtilisation([
      usage(t, '', 0, 0, 1), usage(t, 'code', 0, 0, 1), usage(t, '', 0, 1, 2), usage(t, '', 1, 0, 9),
    ], 0);
    expect(result.experts).toEqual([0, 1]);
    expect(result.fairShare).toBe(0.5);
    expect(result.data).toEqual([[Date.parse(t) / 1000], [0.5], [0.5], [0.5]]);
  });
});
