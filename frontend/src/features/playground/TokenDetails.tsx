/** One token at one layer: its top-k experts with weights, and the router's full distribution. */
import type { RoutedToken } from '../../api/types';
import { expertColour } from '../../ui/expertColours';
import { formatPercent } from '../../ui/format';
import { displayText } from './tokenText';

export function TokenDetails({ token, layer }: { token: RoutedToken; layer: number }) {
  const route = token.layers[layer];
  if (route === undefined) {
    return null;
  }
  return (
    <div class="token-details" aria-live="polite">
      <h3>Token {token.position} “{displayText(token.text)}” at layer {layer}</h3>
      <p>Top-{route.experts.length}: {route.experts.map((expert, k) => (
        <span key={expert} class="pick"><span class="chip" style={{ background: expertColour(expert) }} aria-hidden="true" />
          E{expert} weight {formatPercent(route.weights[k] ?? 0)}{k < route.experts.length - 1 ? ', ' : ''}</span>
      ))}</p>
      <table class="distribution">
        <caption>Router distribution over all experts</caption>
        <tbody>
          {route.probabilities.map((p, expert) => (
            <tr key={expert} data-chosen={route.experts.includes(expert)}>
              <th scope="row">E{expert}</th>
              <td class="bar-cell"><span class="bar" style={{ width: `${p * 100}%`, background: expertColour(expert) }} /></td>
              <td>{formatPercent(p)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
