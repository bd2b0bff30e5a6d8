/**
 * The prompt's tokens, each on its first-choice expert's colour at the chosen layer (Mixtral Fig. 8).
 * Every token is focusable: hover or keyboard focus selects it for the details and the walk.
 */
import type { RoutedToken } from '../../api/types';
import { expertColour, textColourOn } from '../../ui/expertColours';
import { displayText } from './tokenText';

interface Props {
  tokens: RoutedToken[];
  layer: number;
  selected: number | null;
  onSelect: (position: number) => void;
  /** Positions to mark as changed (the what-if comparison); none by default. */
  changed?: Set<number>;
  testId?: string;
  label?: string;
}

export function TokenStrip({ tokens, layer, selected, onSelect, changed, testId = 'token-strip', label = 'Prompt tokens' }: Props) {
  return (
    <p class="token-strip" data-testid={testId} aria-label={`${label} coloured by first-choice expert at layer ${layer}`}>
      {tokens.map((token) => {
        const route = token.layers[layer];
        const first = route?.experts[0] ?? 0;
        const background = expertColour(first);
        const isChanged = changed?.has(token.position) ?? false;
        return (
          <span key={token.position} role="button" tabIndex={0} class={isChanged ? 'token changed' : 'token'} data-expert={first}
            data-experts={route?.experts.join(' ')}
            aria-current={selected === token.position ? 'true' : undefined}
            aria-label={`${displayText(token.text)}: expert ${route?.experts.join(' and ') ?? '?'}${isChanged ? ' (changed)' : ''}`}
            style={{ background, color: textColourOn(background) }}
            onMouseEnter={() => { onSelect(token.position); }} onFocus={() => { onSelect(token.position); }}
            onClick={() => { onSelect(token.position); }}>
            {displayText(token.text)}
          </span>
        );
      })}
    </p>
  );
}
