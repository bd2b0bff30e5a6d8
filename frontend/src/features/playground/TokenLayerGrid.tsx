/** All layers at once: one row per token, one column per layer, the first-choice expert in each cell. */
import type { RouteTrace } from '../../api/types';
import { expertColour, textColourOn } from '../../ui/expertColours';
import { displayText } from './tokenText';

export function TokenLayerGrid({ trace, onSelect }: { trace: RouteTrace; onSelect: (position: number, layer: number) => void }) {
  const layers = Array.from({ length: trace.layers }, (_, layer) => layer);
  return (
    <table class="token-grid" data-testid="token-grid">
      <caption>First-choice expert of every token (rows) at every layer (columns); second choice in brackets</caption>
      <thead><tr><th scope="col">Token</th>{layers.map((layer) => <th scope="col" key={layer}>L{layer}</th>)}</tr></thead>
      <tbody>
        {trace.tokens.map((token) => (
          <tr key={token.position}>
            <th scope="row">{displayText(token.text)}</th>
            {layers.map((layer) => {
              const experts = token.layers[layer]?.experts ?? [];
              const background = expertColour(experts[0] ?? 0);
              return (
                <td key={layer} style={{ background, color: textColourOn(background) }}>
                  <button type="button" class="cell-button" onClick={() => { onSelect(token.position, layer); }}
                    aria-label={`Token ${token.position} at layer ${layer}: experts ${experts.join(', ')}`}>
                    E{experts[0]}{experts.length > 1 ? ` (${experts.slice(1).join(',')})` : ''}
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
