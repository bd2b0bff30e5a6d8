/** Streams a completion of the prompt and colours each new piece of text by its routing as it arrives. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { expertColour, textColourOn } from '../../ui/expertColours';
import { generate, type GeneratedPiece } from './playgroundApi';

interface Props {
  model: string;
  prompt: string;
  layer: number;
}

export function GeneratePanel({ model, prompt, layer }: Props) {
  const [pieces, setPieces] = useState<GeneratedPiece[]>([]);
  const [state, setState] = useState<'idle' | 'streaming' | 'done'>('idle');
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const start = (): void => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setPieces([]);
    setError(null);
    setState('streaming');
    generate(model, prompt, 48, (piece) => { setPieces((all) => [...all, piece]); }, controller.signal)
      .catch((failure: unknown) => { if (!controller.signal.aborted) setError(failure instanceof Error ? failure.message : String(failure)); })
      .finally(() => { setState('done'); });
  };

  return (
    <section aria-labelledby="generate-title">
      <h2 id="generate-title">Generate</h2>
      <div class="actions">
        <button type="button" onClick={start} disabled={prompt.trim() === '' || state === 'streaming'}>Generate (streamed, with routing)</button>
        {state === 'streaming' && <button type="button" onClick={() => abort.current?.abort()}>Stop</button>}
      </div>
      {error !== null && <p class="status error" role="alert">{error}</p>}
      {pieces.length > 0 && (
        <p class="token-strip" data-testid="generated" aria-label={`Generated text coloured by first-choice expert at layer ${layer}`}>
          {pieces.map((piece, i) => {
            const first = piece.experts[0]?.[layer]?.[0];
            const background = first === undefined ? '#ffffff' : expertColour(first);
            const routes = piece.experts.map((layers, t) => `token ${t + 1}: ${(layers[layer] ?? []).map((e, k) => `E${e} ${((piece.weights[t]?.[layer]?.[k] ?? 0) * 100).toFixed(0)}%`).join(', ')}`);
            return (
              <span key={i} class="token" tabIndex={0} style={{ background, color: textColourOn(background) }} title={routes.join('; ')}>
                {piece.text === '' ? '∅' : piece.text}<span class="sr-only"> ({routes.join('; ')})</span>
              </span>
            );
          })}
        </p>
      )}
      <p class="caption">Each piece is coloured by the first-choice expert (layer {layer}) of the first token behind it; hover or focus for every token's experts and weights.</p>
    </section>
  );
}
