import { describe, expect, it } from 'vitest';
import type { ExpertUsage } from '../../api/types';
import { collapseWarnings } from './collapseWarnings';

function usage(minute: number, expert: number, anyChoice: number, domain = ''): ExpertUsage {
  return { bucketStart: `2026-01-01T00:0${minute}:00Z`, domain, layer: 0, expert, firstChoice: 0, anyChoice, routerProbabilitySum: 0, share: 0 };
}

const rule = { above: 2, below: 0.25, minBuckets: 2 };
const fourExperts = new Map([[0, 4]]);

describe('collapseWarnings', () => {
  it('flags an expert hot in every bucket and one that got nothing as cold', () => {
    const rows = [0, 1, 2].flatMap((m) => [usage(m, 0, 70), usage(m, 1, 10), usage(m, 2, 20)]);
    const warnings = collapseWarnings(rows, fourExperts, rule);
    expect(warnings).toEqual([
      { layer: 0, expert: 0, kind: 'hot', boundRatio: 2.8, buckets: 3 },
      { layer: 0, expert: 3, kind: 'cold', boundRatio: 0, buckets: 3 },
    ]);
  });

  it('does not flag an expert that was fair in one bucket', () => {
    const rows = [usage(0, 0, 90), usage(0, 1, 10), usage(1, 0, 25), usage(1, 1, 25), usage(1, 2, 25), usage(1, 3, 25)];
    expect(collapseWarnings(rows, fourExperts, rule).filter((w) => w.expert === 0)).toEqual([]);
  });

  it('sums domains and needs enough buckets with traffic', () => {
    const rows = [usage(0, 0, 50), usage(0, 0, 50, 'code'), usage(0, 1, 10)];
    expect(collapseWarnings(rows, fourExperts, rule)).toEqual([]);
    expect(collapseWarnings(rows, fourExperts, { ...rule, minBuckets: 1 })[0]).toMatchObject({ expert: 0, kind: 'hot' });
  });
});
