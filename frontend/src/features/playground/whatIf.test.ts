import { describe, expect, it } from 'vitest';
import type { RouteTrace } from '../../api/types';
import { changedPositions, commonPrefixLength, compareRouting, describeOverride, emptyChoice, toOverride } from './whatIf';

/** A 2-layer, 4-expert trace; `experts[t][l]` is token t's chosen experts at layer l. */
function trace(experts: number[][][]): RouteTrace {
  return {
    model: 'm', layers: 2, experts: 4, experts_per_token: 2, dense_layers: [], shared_expert_layers: [],
    tokens: experts.map((layers, position) => ({
      position, id: position, text: `t${String(position)}`,
      layers: layers.map((chosen, layer) => ({ layer, experts: chosen, weights: chosen.map(() => 1 / chosen.length), probabilities: [] })),
    })),
  };
}

describe('toOverride', () => {
  it('sends nothing for an untouched form', () => {
    expect(toOverride(emptyChoice(2, 4))).toEqual({});
  });

  it('sends k, the every-layer mask, a non-zero bias and per-layer masks not already masked everywhere', () => {
    const choice = emptyChoice(2, 4);
    choice.expertsPerToken = 1;
    choice.maskedEveryLayer[0] = true;
    choice.maskedByLayer[1] = [true, false, true, false];
    choice.logitBias[3] = 2;
    expect(toOverride(choice)).toEqual({
      experts_per_token: 1,
      masked_experts: [0],
      logit_bias: [0, 0, 0, 2],
      layers: [{ layer: 1, masked_experts: [2] }],
    });
  });
});

describe('describeOverride', () => {
  it('names each change', () => {
    expect(describeOverride({ experts_per_token: 1, masked_experts: [0], layers: [{ layer: 1, masked_experts: [2] }], logit_bias: [0, -1, 0, 2] }))
      .toBe('k = 1 · E0 masked · E2 masked at layer 1 · E1 -1 · E3 +2');
    expect(describeOverride({})).toBe('no change');
  });
});

describe('compareRouting', () => {
  const served = trace([[[0, 1], [2, 3]], [[0, 2], [2, 1]], [[1, 0], [3, 2]]]);
  const whatIf = trace([[[1], [2]], [[2], [2]], [[1], [3]]]);

  it('counts first choices per expert and the tokens whose experts changed, per layer', () => {
    expect(compareRouting(served, whatIf)).toEqual([
      { layer: 0, tokens: 3, changedTokens: 3, changedFirstChoice: 2, servedFirst: [2, 1, 0, 0], whatIfFirst: [0, 2, 1, 0] },
      { layer: 1, tokens: 3, changedTokens: 3, changedFirstChoice: 0, servedFirst: [0, 0, 2, 1], whatIfFirst: [0, 0, 2, 1] },
    ]);
  });

  it('a token is unchanged only with the same experts in the same order', () => {
    const sameFirstOnly = trace([[[0, 2], [2, 3]], [[0, 2], [2, 1]], [[0, 1], [3, 2]]]);
    expect([...changedPositions(served, sameFirstOnly, 0)]).toEqual([0, 2]);
    expect([...changedPositions(served, served, 1)]).toEqual([]);
  });
});

describe('commonPrefixLength', () => {
  it('is where two texts part', () => {
    expect(commonPrefixLength('the cat sat', 'the dog sat')).toBe(4);
    expect(commonPrefixLength('same', 'same')).toBe(4);
    expect(commonPrefixLength('', 'x')).toBe(0);
  });
});
