/**
 * Measures over one prompt's routing trace: the consecutive-token same-first-choice rate at a layer
 * (Mixtral §5, Table 5) against the random-routing baseline 1/N, and the numbers of one token's walk
 * through one MoE layer.
 */
import type { LayerRoute, RoutedToken } from '../../api/types';

export interface ConsecutiveRate {
  pairs: number;
  same: number;
  rate: number;
  randomBaseline: number;
}

export function consecutiveSameFirst(tokens: RoutedToken[], layer: number, experts: number): ConsecutiveRate {
  let pairs = 0;
  let same = 0;
  for (let i = 1; i < tokens.length; i++) {
    const previous = tokens[i - 1]?.layers[layer]?.experts[0];
    const current = tokens[i]?.layers[layer]?.experts[0];
    if (previous !== undefined && current !== undefined) {
      pairs += 1;
      if (previous === current) same += 1;
    }
  }
  return { pairs, same, rate: pairs === 0 ? 0 : same / pairs, randomBaseline: experts === 0 ? 0 : 1 / experts };
}

export interface WalkStep {
  expert: number;
  /** log p: the router logit up to the constant softmax removes (the server sends probabilities). */
  logit: number;
  probability: number;
  chosen: boolean;
  /** The server's routing weight for a chosen expert, else null. */
  weight: number | null;
  /** p / Σ p over the chosen experts: what renormalised top-k weights must equal. */
  renormalised: number | null;
}

/** The walk's table, most probable expert first. */
export function walkSteps(route: LayerRoute): WalkStep[] {
  const chosenMass = route.experts.reduce((sum, expert) => sum + (route.probabilities[expert] ?? 0), 0);
  return route.probabilities
    .map((probability, expert) => {
      const k = route.experts.indexOf(expert);
      return {
        expert,
        logit: Math.log(probability),
        probability,
        chosen: k >= 0,
        weight: k >= 0 ? (route.weights[k] ?? null) : null,
        renormalised: k >= 0 && chosenMass > 0 ? probability / chosenMass : null,
      };
    })
    .sort((a, b) => b.probability - a.probability);
}
