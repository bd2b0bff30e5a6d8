/**
 * Walk one token through one MoE layer, step by step, with the server's numbers: router logits → softmax →
 * top-k → renormalised weights → the weighted sum of the chosen experts' outputs. Animation is a CSS
 * transition that `prefers-reduced-motion` turns off, so the steps stay steps.
 */
import { useState } from 'preact/hooks';
import type { RoutedToken } from '../../api/types';
import { expertColour } from '../../ui/expertColours';
import { formatDecimal, formatPercent } from '../../ui/format';
import { walkSteps } from './routingMeasures';
import { displayText } from './tokenText';

const STAGES = [
  'Router logits',
  'Softmax over all experts',
  'Top-k cut',
  'Renormalised weights',
  'Weighted sum of the chosen experts',
] as const;

export function WalkOneToken({ token, layer }: { token: RoutedToken; layer: number }) {
  const [stage, setStage] = useState(0);
  const route = token.layers[layer];
  if (route === undefined || route.probabilities.length === 0) {
    return <p class="muted">The server sent no router distribution for this token.</p>;
  }
  const steps = walkSteps(route);
  const chosen = steps.filter((s) => s.chosen);
  const maxLogit = Math.max(...steps.map((s) => s.logit));
  const minLogit = Math.min(...steps.map((s) => s.logit));
  const width = (s: (typeof steps)[number]): number => {
    if (stage === 0) return maxLogit === minLogit ? 100 : ((s.logit - minLogit) / (maxLogit - minLogit)) * 100;
    if (stage >= 3) return s.chosen ? (s.weight ?? 0) * 100 : 0;
    return s.probability * 100;
  };
  const value = (s: (typeof steps)[number]): string => {
    if (stage === 0) return formatDecimal(s.logit);
    if (stage >= 3) return s.chosen ? `${formatPercent(s.weight ?? 0)} (p/Σp = ${formatPercent(s.renormalised ?? 0)})` : '–';
    return formatPercent(s.probability);
  };
  return (
    <section class="walk" aria-labelledby="walk-title" data-testid="walk">
      <h3 id="walk-title">Walk token {token.position} “{displayText(token.text)}” through layer {layer}</h3>
      <ol class="stages">
        {STAGES.map((name, i) => (
          <li key={name} aria-current={i === stage ? 'step' : undefined}>
            <button type="button" onClick={() => { setStage(i); }}>{i + 1}. {name}</button>
          </li>
        ))}
      </ol>
      <p class="stage-note">{[
        'The router scores every expert: logits = x·W_gate. Shown as log p, the logits up to the constant that softmax removes (the server sends the probabilities).',
        'softmax turns the logits into a distribution over all experts (sorted, most probable first).',
        `Only the top-${route.experts.length} experts run; the rest are cut (greyed).`,
        'The chosen probabilities are renormalised to sum to 1: these are the routing weights the server applied.',
        `y = ${chosen.map((s) => `${formatDecimal(s.weight ?? 0)}·E${s.expert}(x)`).join(' + ')}: the layer's output is the chosen experts' outputs summed with those weights.`,
      ][stage]}</p>
      <table class="walk-table">
        <caption class="sr-only">{STAGES[stage]}</caption>
        <tbody>
          {steps.map((s) => (
            <tr key={s.expert} class={stage >= 2 && !s.chosen ? 'cut' : ''}>
              <th scope="row">E{s.expert}</th>
              <td class="bar-cell"><span class="bar" style={{ width: `${width(s)}%`, background: expertColour(s.expert) }} /></td>
              <td>{value(s)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions">
        <button type="button" disabled={stage === 0} onClick={() => { setStage(stage - 1); }}>Previous step</button>
        <button type="button" disabled={stage === STAGES.length - 1} onClick={() => { setStage(stage + 1); }}>Next step</button>
      </div>
    </section>
  );
}
