/**
 * Routing playground: the prompt's tokens coloured by first-choice expert at a chosen layer, details on
 * hover or focus, a token × layer grid, the walk of one token through one layer, what if (the same text under a
 * per-request routing override, side by side), and generation.
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/http';
import type { RouteTrace } from '../../api/types';
import { expertColour, textColourOn } from '../../ui/expertColours';
import { formatPercent } from '../../ui/format';
import { Failure } from '../../ui/StatusMessage';
import { GeneratePanel } from './GeneratePanel';
import { routePrompt } from './playgroundApi';
import { consecutiveSameFirst } from './routingMeasures';
import { TokenDetails } from './TokenDetails';
import { TokenLayerGrid } from './TokenLayerGrid';
import { TokenStrip } from './TokenStrip';
import { WalkOneToken } from './WalkOneToken';
import { WhatIfPanel } from './WhatIfPanel';

const EXAMPLE = 'public static int add(int a, int b) { return a + b; }\nA mixture of experts routes each token to two of eight experts.';

export function PlaygroundView({ model }: { model: string }) {
  const [prompt, setPrompt] = useState(EXAMPLE);
  const [trace, setTrace] = useState<RouteTrace | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [layer, setLayer] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const [grid, setGrid] = useState(false);
  const [asChat, setAsChat] = useState(false);

  const route = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = await routePrompt(prompt, asChat);
      setTrace(next);
      setSelected(Math.min(1, next.tokens.length - 1));
      setLayer((current) => Math.min(current, next.layers - 1));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, String(failure), null));
    } finally {
      setBusy(false);
    }
  };

  const token = trace !== null && selected !== null ? trace.tokens[selected] : undefined;
  const rate = trace === null ? null : consecutiveSameFirst(trace.tokens, layer, trace.experts);

  return (
    <>
      <form class="prompt" onSubmit={(event) => void route(event)}>
        <label for="prompt">Text to route</label>
        <textarea id="prompt" rows={3} value={prompt} onInput={(event) => { setPrompt(event.currentTarget.value); }} />
        <label><input type="checkbox" checked={asChat} onChange={(event) => { setAsChat(event.currentTarget.checked); }} />
          {' '}As a chat message (rendered with the model's chat template, as the generation below sees it)</label>
        <button type="submit" disabled={busy || prompt.trim() === ''}>{busy ? 'Routing…' : 'Route'}</button>
      </form>
      {error !== null && <Failure error={error} />}
      {trace !== null && (
        <section aria-labelledby="routing-title">
          <h2 id="routing-title">Routing of {trace.tokens.length} tokens</h2>
          <div class="toolbar">
            <label>Layer <select value={layer} onChange={(event) => { setLayer(Number(event.currentTarget.value)); }}>
              {Array.from({ length: trace.layers }, (_, l) => <option key={l} value={l}>{l}</option>)}
            </select></label>
            <button type="button" disabled={layer === 0} onClick={() => { setLayer(layer - 1); }}>Previous layer</button>
            <button type="button" disabled={layer === trace.layers - 1} onClick={() => { setLayer(layer + 1); }}>Next layer</button>
            <label><input type="checkbox" checked={grid} onChange={(event) => { setGrid(event.currentTarget.checked); }} /> All layers as a grid</label>
          </div>
          <p class="legend">{Array.from({ length: trace.experts }, (_, e) => (
            <span key={e} class="token" style={{ background: expertColour(e), color: textColourOn(expertColour(e)) }}>E{e}</span>
          ))}</p>
          {grid
            ? <TokenLayerGrid trace={trace} onSelect={(position, l) => { setSelected(position); setLayer(l); }} />
            : <TokenStrip tokens={trace.tokens} layer={layer} selected={selected} onSelect={setSelected} />}
          {rate !== null && (
            <p class="caption" data-testid="consecutive">
              Consecutive tokens with the same first-choice expert at layer {layer}: {formatPercent(rate.rate)} of {rate.pairs} pairs;
              random routing would give {formatPercent(rate.randomBaseline)} (1/N).
            </p>
          )}
          {token !== undefined && (
            <div class="grid">
              <TokenDetails token={token} layer={layer} />
              <WalkOneToken key={`${token.position}/${layer}`} token={token} layer={layer} />
            </div>
          )}
        </section>
      )}
      {trace !== null && (
        <WhatIfPanel key={`${String(trace.layers)}x${String(trace.experts)}`} model={model} prompt={prompt} asChat={asChat}
          layers={trace.layers} experts={trace.experts} expertsPerToken={trace.experts_per_token} />
      )}
      {trace === null && error === null && <p class="status empty">Route the text to see which expert each token goes to.</p>}
      <GeneratePanel model={model} prompt={prompt} layer={layer} />
    </>
  );
}
