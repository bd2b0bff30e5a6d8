/**
 * What if: the same text routed and generated twice, as the model serves it and with a routing override for
 * this request only (experts masked per layer or in every layer, another k, a bias on the router logits),
 * then shown side by side. The override never changes the served model or any other request (docs/API.md).
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/http';
import { Failure } from '../../ui/StatusMessage';
import { completeOnce, routePrompt } from './playgroundApi';
import { emptyChoice, toOverride, type WhatIfChoice } from './whatIf';
import { WhatIfComparison, type WhatIfResult } from './WhatIfComparison';

interface Props {
  model: string;
  prompt: string;
  asChat: boolean;
  layers: number;
  experts: number;
  expertsPerToken: number;
}

const GENERATED_TOKENS = 24;

export function WhatIfPanel({ model, prompt, asChat, layers, experts, expertsPerToken }: Props) {
  const [choice, setChoice] = useState<WhatIfChoice>(() => emptyChoice(layers, experts));
  const [result, setResult] = useState<WhatIfResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const expertIds = Array.from({ length: experts }, (_, e) => e);

  const update = (change: (next: WhatIfChoice) => void): void => {
    const next = structuredClone(choice);
    change(next);
    setChoice(next);
  };

  const run = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const override = toOverride(choice);
    try {
      const [served, whatIf, servedText, whatIfText] = await Promise.all([
        routePrompt(prompt, asChat), routePrompt(prompt, asChat, override),
        completeOnce(model, prompt, GENERATED_TOKENS), completeOnce(model, prompt, GENERATED_TOKENS, override),
      ]);
      setResult({ override, served, whatIf, servedText, whatIfText });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, String(failure), null));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="whatif-title">
      <h2 id="whatif-title">What if</h2>
      <p class="caption">
        Route and generate the text again with another routing for this request only: the served model, its statistics and
        every other request are unchanged.
      </p>
      <form class="whatif" onSubmit={(event) => void run(event)}>
        <label>Experts per token (k){' '}
          <select value={choice.expertsPerToken ?? ''}
            onChange={(event) => { const value = event.currentTarget.value; update((next) => { next.expertsPerToken = value === '' ? null : Number(value); }); }}>
            <option value="">the model's ({expertsPerToken})</option>
            {expertIds.map((e) => <option key={e} value={e + 1}>{e + 1}</option>)}
          </select>
        </label>
        <table class="mask-grid">
          <caption>Masked experts: a masked expert receives none of this request's tokens</caption>
          <thead><tr><th scope="col">Layer</th>{expertIds.map((e) => <th scope="col" key={e}>E{e}</th>)}</tr></thead>
          <tbody>
            <tr>
              <th scope="row">Every layer</th>
              {expertIds.map((e) => (
                <td key={e}><input type="checkbox" aria-label={`Mask expert ${e} in every layer`} checked={choice.maskedEveryLayer[e] ?? false}
                  onChange={(event) => { const checked = event.currentTarget.checked; update((next) => { next.maskedEveryLayer[e] = checked; }); }} /></td>
              ))}
            </tr>
            {choice.maskedByLayer.map((flags, layer) => (
              <tr key={layer}>
                <th scope="row">{layer}</th>
                {expertIds.map((e) => (
                  <td key={e}><input type="checkbox" aria-label={`Mask expert ${e} at layer ${layer}`}
                    checked={(flags[e] ?? false) || (choice.maskedEveryLayer[e] ?? false)} disabled={choice.maskedEveryLayer[e] ?? false}
                    onChange={(event) => { const checked = event.currentTarget.checked; update((next) => { (next.maskedByLayer[layer] ?? [])[e] = checked; }); }} /></td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <fieldset class="bias">
          <legend>Router-logit bias, every layer (added to the expert's logit before the softmax)</legend>
          {expertIds.map((e) => (
            <label key={e}>E{e}{' '}
              <input type="number" step="0.5" min="-50" max="50" value={choice.logitBias[e] ?? 0} aria-label={`Logit bias of expert ${e}`}
                onInput={(event) => { const value = Number(event.currentTarget.value); update((next) => { next.logitBias[e] = Number.isFinite(value) ? value : 0; }); }} />
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit" disabled={busy || prompt.trim() === ''}>{busy ? 'Running…' : 'Run what-if'}</button>
          <button type="button" onClick={() => { setChoice(emptyChoice(layers, experts)); }}>Reset</button>
        </div>
      </form>
      {error !== null && <Failure error={error} />}
      {result !== null && <WhatIfComparison result={result} />}
    </section>
  );
}
