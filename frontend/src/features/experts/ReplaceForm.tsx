/** Rebuilds one or all checkpoint experts of a layer with another kind (same weights), after confirmation. */
import { useState } from 'preact/hooks';
import type { ExpertTableView } from '../../api/types';
import type { Confirmation } from '../../ui/ConfirmDialog';
import { expertApi } from './expertApi';

interface Props {
  table: ExpertTableView;
  kinds: string[];
  confirm: (confirmation: Confirmation) => void;
  apply: (change: () => Promise<unknown>) => Promise<void>;
}

export function ReplaceForm({ table, kinds, confirm, apply }: Props) {
  const [layer, setLayer] = useState(0);
  const [expert, setExpert] = useState('all');
  const [kind, setKind] = useState(kinds[0] ?? '');
  const experts = table.layers.find((l) => l.layer === layer)?.experts.filter((e) => e.origin === 'checkpoint') ?? [];
  return (
    <form class="toolbar" onSubmit={(event) => {
      event.preventDefault();
      const which = expert === 'all' ? 'every checkpoint expert' : `expert ${expert}`;
      confirm({
        title: `Replace ${which} of layer ${layer} with ${kind}?`,
        consequence: `The implementation of ${which} of layer ${layer} is rebuilt as '${kind}' from the same weights; requests in flight finish first, and outputs may change slightly (e.g. int8 rounding).`,
        confirmLabel: 'Replace',
        run: () => apply(() => expertApi.replace(layer, { kind, expert: expert === 'all' ? null : Number(expert), options: null })),
      });
    }}>
      <label>Layer <select value={layer} onChange={(e) => { setLayer(Number(e.currentTarget.value)); }}>
        {table.layers.map((l) => <option key={l.layer} value={l.layer}>{l.layer}</option>)}
      </select></label>
      <label>Expert <select value={expert} onChange={(e) => { setExpert(e.currentTarget.value); }}>
        <option value="all">all checkpoint experts</option>
        {experts.map((e) => <option key={e.index} value={e.index}>{e.index}</option>)}
      </select></label>
      <label>Kind <select value={kind} onChange={(e) => { setKind(e.currentTarget.value); }}>
        {kinds.map((k) => <option key={k} value={k}>{k}</option>)}
      </select></label>
      <button type="submit" disabled={kind === ''}>Replace…</button>
    </form>
  );
}
