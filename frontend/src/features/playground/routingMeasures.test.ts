import { describe, expect, it } from 'vitest';
import type { RoutedToken } from '../../api/types';
import { consecutiveSameFirst, walkSteps } from './routingMeasures';

function token(position: number, firstChoices: number[]): RoutedToken {
  return {
    position, id: position, text: `t${position}`,
    layers: firstChoices.map((expert, layer) => ({ layer, experts: [expert, (expert + 1) % 4], weights: [0.6, 0.4], probabilities: [] })),
  };
}

describe('consecutiveSameFirst', () => {
  it('counts consecutive pairs sharing the first choice at one layer, against 1/N', () => {
    const tokens = [token(0, [1, 0]), token(1, [1, 2]), token(2, [3, 2]), token(3, [3, 2])];
    expect(consecutiveSameFirst(tokens, 0, 4)).toEqual({ pairs: 3, same: 2, rate: 2 / 3, randomBaseline: 0.25 });
    expect(consecutiveSameFirst(tokens, 1, 4).same).toBe(2);
  });

  it('has no pairs for a single token', () => {
    expect(consecutiveSameFirst([token(0, [1])], 0, 8)).toEqual({ pairs: 0, same: 0, rate: 0, randomBaseline: 0.125 });
  });
});

describe('walkSteps', () => {
  const route = { layer: 0, experts: [2, 0], weights: [0.6, 0.4], probabilities: [0.2, 0.1, 0.3, 0.4 - 1e-9] };

  it('sorts all experts by probability and marks the top-k with their weights', () => {
    const steps = walkSteps({ ...route, experts: [3, 2], weights: [0.57, 0.43] });
    expect(steps.map((s) => s.expert)).toEqual([3, 2, 0, 1]);
    expect(steps.filter((s) => s.chosen).map((s) => s.weight)).toEqual([0.57, 0.43]);
  });

  it('renormalises the chosen probabilities to sum to one', () => {
    const steps = walkSteps(route);
    const chosen = steps.filter((s) => s.chosen);
    expect(chosen.reduce((sum, s) => sum + (s.renormalised ?? 0), 0)).toBeCloseTo(1);
    expect(steps.find((s) => s.expert === 2)?.renormalised).toBeCloseTo(0.6);
  });

  it('gives logits whose softmax is the distribution again', () => {
    const steps = walkSteps(route);
    const z = steps.reduce((sum, s) => sum + Math.exp(s.logit), 0);
    for (const s of steps) expect(Math.exp(s.logit) / z).toBeCloseTo(s.probability);
  });
});
