/**
 * The side-by-side of a what-if run: per layer the tokens whose experts changed and each expert's
 * first-choice count served → what-if; the prompt's tokens on their first-choice colours in both runs
 * (changed tokens marked); the two generated texts, where they part highlighted.
 */
import { useState } from 'preact/hooks';
import type { RouteTrace, RoutingOverride } from '../../api/types';
import type { Completion } from './playgroundApi';
import { TokenStrip } from './TokenStrip';
import { changedPositions, commonPrefixLength, compareRouting, describeOverride } from './whatIf';

export interface WhatIfResult {
  override: RoutingOverride;
  served: RouteTrace;
  whatIf: RouteTrace;
  servedText: Completion;
  whatIfText: Completion;
}

function GeneratedText({ text, common, testId }: { text: string; common: number; testId: string }) {
  return (
    <p class="generated-text" data-testid={testId}>
      {text.slice(0, common)}{common < text.length && <mark>{text.slice(common)}</mark>}
    </p>
  );
}

export function WhatIfComparison({ result }: { result: WhatIfResult }) {
  const [layer, setLayer] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const { served, whatIf } = result;
  const layers = compareRouting(served, whatIf);
  const changed = changedPositions(served, whatIf, layer);
  const common = commonPrefixLength(result.servedText.text, result.whatIfText.text);
  const experts = Array.from({ length: Math.max(served.experts, whatIf.experts) }, (_, e) => e);

  return (
    <div data-testid="whatif-result">
      <h3>Served vs what-if: {describeOverride(result.override)}</h3>
      <table class="whatif-layers" data-testid="whatif-layers">
        <caption>Per layer: tokens whose chosen experts changed (and whose first choice did), and each expert's first-choice tokens, served → what-if</caption>
        <thead><tr><th scope="col">Layer</th><th scope="col">Changed</th><th scope="col">First choice changed</th>{experts.map((e) => <th scope="col" key={e}>E{e}</th>)}</tr></thead>
        <tbody>
          {layers.map((row) => (
            <tr key={row.layer} data-changed={row.changedTokens}>
              <th scope="row">{row.layer}</th>
              <td>{row.changedTokens} of {row.tokens}</td>
              <td>{row.changedFirstChoice}</td>
              {experts.map((e) => <td key={e}>{row.servedFirst[e] ?? 0} → {row.whatIfFirst[e] ?? 0}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      <div class="toolbar">
        <label>Layer <select value={layer} onChange={(event) => { setLayer(Number(event.currentTarget.value)); }}>
          {layers.map((row) => <option key={row.layer} value={row.layer}>{row.layer}</option>)}
        </select></label>
        <span class="caption">{changed.size} of {served.tokens.length} tokens routed differently at layer {layer} (outlined)</span>
      </div>
      <div class="grid">
        <div>
          <h4>Served routing</h4>
          <TokenStrip tokens={served.tokens} layer={layer} selected={selected} onSelect={setSelected} testId="whatif-served-strip" label="Served routing" />
          <h4>Served generation</h4>
          <GeneratedText text={result.servedText.text} common={common} testId="whatif-served-text" />
        </div>
        <div>
          <h4>What-if routing</h4>
          <TokenStrip tokens={whatIf.tokens} layer={layer} selected={selected} onSelect={setSelected} changed={changed}
            testId="whatif-strip" label="What-if routing" />
          <h4>What-if generation</h4>
          <GeneratedText text={result.whatIfText.text} common={common} testId="whatif-text" />
        </div>
      </div>
      <p class="caption">Generated greedily (temperature 0), so any difference between the texts comes from the routing; the part after they part is highlighted.</p>
    </div>
  );
}
