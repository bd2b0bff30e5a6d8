/**
 * The what-if panel's data: the form's choice turned into the API's `routing_override` (only what differs
 * from the served model), and the comparison of the served routing with the what-if one, per layer and
 * per token, and of the two generated texts.
 */
import type { RouteTrace, RoutingOverride } from '../../api/types';

/** What the form holds. */
export interface WhatIfChoice {
  /** k for the what-if run, or null to keep the model's. */
  expertsPerToken: number | null;
  /** `maskedEveryLayer[e]`: expert e may not be used in any layer. */
  maskedEveryLayer: boolean[];
  /** `maskedByLayer[l][e]`: expert e may not be used at layer l. */
  maskedByLayer: boolean[][];
  /** Added to each expert's router logit in every layer (0: none). */
  logitBias: number[];
}

export function emptyChoice(layers: number, experts: number): WhatIfChoice {
  return {
    expertsPerToken: null,
    maskedEveryLayer: Array.from({ length: experts }, () => false),
    maskedByLayer: Array.from({ length: layers }, () => Array.from({ length: experts }, () => false)),
    logitBias: Array.from({ length: experts }, () => 0),
  };
}

function indices(flags: boolean[]): number[] {
  return flags.flatMap((flag, index) => (flag ? [index] : []));
}

/** The request field for a choice: empty parts left out; a bias of zeros is no bias. */
export function toOverride(choice: WhatIfChoice): RoutingOverride {
  const override: RoutingOverride = {};
  if (choice.expertsPerToken !== null) override.experts_per_token = choice.expertsPerToken;
  const everywhere = indices(choice.maskedEveryLayer);
  if (everywhere.length > 0) override.masked_experts = everywhere;
  if (choice.logitBias.some((bias) => bias !== 0)) override.logit_bias = [...choice.logitBias];
  const layers = choice.maskedByLayer
    .map((flags, layer) => ({ layer, masked_experts: indices(flags).filter((e) => !choice.maskedEveryLayer[e]) }))
    .filter((entry) => entry.masked_experts.length > 0);
  if (layers.length > 0) override.layers = layers;
  return override;
}

/** The override in words, for the side-by-side heading ("k = 1 · E0 masked · E2 masked at layer 1 · E3 +2"). */
export function describeOverride(override: RoutingOverride): string {
  const parts: string[] = [];
  if (override.experts_per_token !== undefined) parts.push(`k = ${String(override.experts_per_token)}`);
  for (const expert of override.masked_experts ?? []) parts.push(`E${String(expert)} masked`);
  for (const entry of override.layers ?? []) {
    for (const expert of entry.masked_experts ?? []) parts.push(`E${String(expert)} masked at layer ${String(entry.layer)}`);
  }
  (override.logit_bias ?? []).forEach((bias, expert) => {
    if (bias !== 0) parts.push(`E${String(expert)} ${bias > 0 ? '+' : ''}${String(bias)}`);
  });
  return parts.length === 0 ? 'no change' : parts.join(' · ');
}

/** One layer of the side-by-side: per expert, how many tokens chose it first, served and what-if. */
export interface LayerComparison {
  layer: number;
  tokens: number;
  /** Tokens whose chosen experts (in order) differ between the two runs. */
  changedTokens: number;
  /** Tokens whose first-choice expert differs (another k alone changes the lists, not the first choice). */
  changedFirstChoice: number;
  servedFirst: number[];
  whatIfFirst: number[];
}

function sameList(a: number[] | undefined, b: number[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((value, i) => value === b[i]);
}

/** Positions whose chosen experts at `layer` differ between the served and the what-if trace. */
export function changedPositions(served: RouteTrace, whatIf: RouteTrace, layer: number): Set<number> {
  const changed = new Set<number>();
  served.tokens.forEach((token, i) => {
    if (!sameList(token.layers[layer]?.experts, whatIf.tokens[i]?.layers[layer]?.experts)) changed.add(token.position);
  });
  return changed;
}

function firstChoiceCounts(trace: RouteTrace, layer: number, experts: number): number[] {
  const counts = Array.from({ length: experts }, () => 0);
  for (const token of trace.tokens) {
    const first = token.layers[layer]?.experts[0];
    if (first !== undefined && first < experts) counts[first] = (counts[first] ?? 0) + 1;
  }
  return counts;
}

/** Both traces must route the same prompt (the same tokens); layers and experts come from the served one. */
export function compareRouting(served: RouteTrace, whatIf: RouteTrace): LayerComparison[] {
  const experts = Math.max(served.experts, whatIf.experts);
  return Array.from({ length: served.layers }, (_, layer) => ({
    layer,
    tokens: served.tokens.length,
    changedTokens: changedPositions(served, whatIf, layer).size,
    changedFirstChoice: served.tokens.filter((token, i) =>
      token.layers[layer]?.experts[0] !== whatIf.tokens[i]?.layers[layer]?.experts[0]).length,
    servedFirst: firstChoiceCounts(served, layer, experts),
    whatIfFirst: firstChoiceCounts(whatIf, layer, experts),
  }));
}

/** Where two generated texts part: the length of their common beginning. */
export function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}
