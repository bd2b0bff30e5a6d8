/** The expert lifecycle event log (newest first), filtered by kind and layer in the browser. */
import { useState } from 'preact/hooks';
import type { ExpertEvent } from '../../api/types';
import { formatLocalDateTime } from '../../ui/format';

export function EventLog({ events }: { events: ExpertEvent[] }) {
  const [kind, setKind] = useState('');
  const [layer, setLayer] = useState('');
  const kinds = [...new Set(events.map((e) => e.kind))].sort();
  const shown = events.filter((e) => (kind === '' || e.kind === kind) && (layer === '' || String(e.layer) === layer));
  return (
    <>
      <div class="toolbar">
        <label>Kind <select value={kind} onChange={(e) => { setKind(e.currentTarget.value); }}>
          <option value="">all</option>{kinds.map((k) => <option key={k} value={k}>{k}</option>)}
        </select></label>
        <label>Layer <input type="number" min="0" value={layer} onInput={(e) => { setLayer(e.currentTarget.value); }} /></label>
      </div>
      <table data-testid="events">
        <caption>Lifecycle events ({shown.length} of the latest {events.length})</caption>
        <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Layer</th><th scope="col">Expert</th><th scope="col">Plugin</th><th scope="col">Reason</th></tr></thead>
        <tbody>
          {shown.map((e, i) => (
            <tr key={`${e.occurredAt}-${i}`}>
              <td title={e.occurredAt}>{formatLocalDateTime(e.occurredAt)}</td><td>{e.kind}</td>
              <td>{e.layer ?? '–'}</td><td>{e.expert ?? '–'}</td><td>{e.plugin ?? '–'}</td><td>{e.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
