import { describe, expect, it } from 'vitest';
import type { BalanceGauges } from '../../api/types';
import { balanceColumns } from './balanceSeries';

function row(bucketStart: string, layer: number, jainIndex: number): BalanceGauges {
  return {
    bucketStart, layer, numExperts: 8, tokens: 10, dropRate: 0, cvLoad: 0, cvImportance: 0, maxMeanLoad: 1, maxVio: 0,
    jainIndex, deadExpertFraction: 0, loadDiversity: 1, routerPerplexityRatio: 1, auxLossPerStep: 1, auxLoss: 1, zLoss: 0,
  };
}

describe('balanceColumns', () => {
  it('aligns layers on shared buckets with gaps as null and the uniform reference last', () => {
    const columns = balanceColumns([
      row('2026-01-01T00:01:00Z', 1, 0.5),
      row('2026-01-01T00:00:00Z', 0, 0.9),
      row('2026-01-01T00:01:00Z', 0, 0.8),
    ], 'jainIndex');
    expect(columns.layers).toEqual([0, 1]);
    const t0 = Date.parse('2026-01-01T00:00:00Z') / 1000;
    expect(columns.data).toEqual([[t0, t0 + 60], [0.9, 0.8], [null, 0.5], [1, 1]]);
  });

  it('has no reference where uniform routing has no defined value', () => {
    const columns = balanceColumns([row('2026-01-01T00:00:00Z', 0, 1)], 'zLoss');
    expect(columns.data[2]).toEqual([null]);
  });
});
