/** Adds a plugin's contributed expert to every layer, with an optional selection bias. */
import { useState } from 'preact/hooks';
import type { PluginView } from '../../api/types';
import { expertApi } from './expertApi';

interface Props {
  plugins: PluginView[];
  apply: (change: () => Promise<unknown>) => Promise<void>;
}

export function AddContributedForm({ plugins, apply }: Props) {
  const offers = plugins.filter((p) => p.state === 'STARTED')
    .flatMap((p) => p.contributedExperts.map((name) => ({ plugin: p.id, name })));
  const [choice, setChoice] = useState(0);
  const [bias, setBias] = useState('');
  if (offers.length === 0) {
    return <p class="muted">No loaded plugin contributes whole experts (drop a plugin jar with contributed experts into the plugins folder).</p>;
  }
  return (
    <form class="toolbar" onSubmit={(event) => {
      event.preventDefault();
      const offer = offers[choice];
      if (offer !== undefined) {
        void apply(() => expertApi.add({ plugin: offer.plugin, name: offer.name, selectionBias: bias === '' ? null : Number(bias), options: null }));
      }
    }}>
      <label>Contributed expert <select value={choice} onChange={(e) => { setChoice(Number(e.currentTarget.value)); }}>
        {offers.map((o, i) => <option key={`${o.plugin}/${o.name}`} value={i}>{o.plugin}/{o.name}</option>)}
      </select></label>
      <label>Selection bias <input type="number" step="0.1" value={bias} placeholder="0"
        onInput={(e) => { setBias(e.currentTarget.value); }} /></label>
      <button type="submit">Add to every layer</button>
    </form>
  );
}
