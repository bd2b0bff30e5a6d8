import { describe, expect, it } from 'vitest';
import type { LiveWindow } from '../../api/types';
import { divergingPosition, heatmapOf } from './heatmapCells';

const window: LiveWindow = {
  windowStart: '2026-01-01T00:00:00Z',
  layers: [
    { model: 'm', domain: '', layer: 1, tokens: 4, dropped: 0, firstChoice: [4, 0, 0, 0], anyChoice: [4, 2, 2, 0] },
    { model: 'm', domain: 'code', layer: 0, tokens: 2, dropped: 0, firstChoice: [0, 2, 0, 0], anyChoice: [1, 2, 1, 0] },
    { model: 'm', domain: '', layer: 0, tokens: 2, dropped: 0, firstChoice: [0, 0, 1, 1], anyChoice: [0, 1, 2, 1] },
  ],
};

describe('heatmapOf', () => {
  it('sums domains per layer and orders layers', () => {
    const map = heatmapOf(window, 'first');
    expect(map.rows.map((row) => row[0]?.layer)).toEqual([0, 1]);
    expect(map.rows[0]?.map((cell) => cell.count)).toEqual([0, 2, 1, 1]);
    expect(map.tokensPerLayer).toEqual([4, 4]);
  });

  it('gives shares of the layer and their ratio to the fair share 1/N', () => {
    const map = heatmapOf(window, 'first');
    expect(map.fairShare).toBe(0.25);
    expect(map.rows[1]?.[0]?.share).toBe(1);
    expect(map.rows[1]?.[0]?.ratioToFair).toBe(4);
    expect(map.rows[0]?.[1]?.ratioToFair).toBe(2);
  });

  it('counts every top-k choice in any-choice mode', () => {
    const map = heatmapOf(window, 'any');
    expect(map.rows[0]?.map((cell) => cell.count)).toEqual([1, 3, 3, 1]);
    expect(map.rows[0]?.reduce((sum, cell) => sum + cell.share, 0)).toBeCloseTo(1);
  });

  it('answers an empty map for a window with no traffic', () => {
    const map = heatmapOf({ windowStart: window.windowStart, layers: [] }, 'first');
    expect(map.rows).toEqual([]);
    expect(map.experts).toBe(0);
  });
});

describe('divergingPosition', () => {
  it('is centred on the fair share and symmetric in log scale', () => {
    expect(divergingPosition(1)).toBe(0.5);
    expect(divergingPosition(2)).toBeCloseTo(0.25);
    expect(divergingPosition(0.5)).toBeCloseTo(0.75);
    expect(divergingPosition(0)).toBe(1);
    expect(divergingPosition(100)).toBe(0);
  });
});
