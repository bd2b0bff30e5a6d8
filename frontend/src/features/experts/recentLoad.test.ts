import { describe, expect, it } from 'vitest';
import type { ExpertUsage } from '../../api/types';
import { sparklineKey, sparklinesOf } from './recentLoad';

function usage(bucketStart: string, domain: string, layer: number, expert: number, anyChoice: number): ExpertUsage {
  return { bucketStart, domain, layer, expert, firstChoice: 0, anyChoice, routerProbabilitySum: 0, share: 0 };
}

describe('sparklinesOf', () => {
  it('sums domains and gives each expert its share of the layer per bucket', () => {
    const lines = sparklinesOf([
      usage('2026-01-01T00:00:00Z', '', 0, 0, 3),
      usage('2026-01-01T00:00:00Z', 'code', 0, 0, 1),
      usage('2026-01-01T00:00:00Z', '', 0, 1, 4),
      usage('2026-01-01T00:01:00Z', '', 0, 1, 2),
      usage('2026-01-01T00:01:00Z', '', 1, 0, 5),
    ]);
    const t0 = Date.parse('2026-01-01T00:00:00Z') / 1000;
    expect(lines.get(sparklineKey(0, 0))).toEqual([[t0, t0 + 60], [0.5, 0]]);
    expect(lines.get(sparklineKey(0, 1))).toEqual([[t0, t0 + 60], [0.5, 1]]);
    expect(lines.get(sparklineKey(1, 0))).toEqual([[t0, t0 + 60], [0, 1]]);
  });
});
