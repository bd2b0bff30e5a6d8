/**
 * Warns when routing collapses: an expert above or below a chosen multiple of its fair share for a chosen
 * time (10-second buckets of /api/stats/utilisation), each linking to the expert's layer in the experts view.
 */
import { useState } from 'preact/hooks';
import { getJson, query } from '../../api/http';
import type { ExpertTableView, ExpertUsage } from '../../api/types';
import { Failure, Loading } from '../../ui/StatusMessage';
import { useAsync } from '../../ui/useAsync';
import { collapseWarnings, type CollapseWarning } from './collapseWarnings';

const BUCKET_SECONDS = 10;

async function load(model: string, minutes: number, signal: AbortSignal): Promise<{ rows: ExpertUsage[]; experts: Map<number, number> }> {
  const from = new Date(Date.now() - minutes * 60_000).toISOString();
  const [rows, table] = await Promise.all([
    getJson<ExpertUsage[]>(`/api/stats/utilisation${query({ model, from, bucket: `${BUCKET_SECONDS}s` })}`, signal),
    getJson<ExpertTableView>('/api/admin/experts', signal),
  ]);
  return { rows, experts: new Map(table.layers.map((layer) => [layer.layer, layer.numExperts])) };
}

function describe(warning: CollapseWarning): string {
  return warning.kind === 'hot'
    ? `took at least ${warning.boundRatio.toFixed(1)}× its fair share`
    : `took at most ${warning.boundRatio.toFixed(2)}× its fair share`;
}

export function CollapseWarnings({ model }: { model: string }) {
  const [above, setAbove] = useState(2);
  const [below, setBelow] = useState(0.25);
  const [minutes, setMinutes] = useState(5);
  const [data, reload] = useAsync((signal) => load(model, minutes, signal), `${model}|${minutes}`);
  const minBuckets = Math.max(1, Math.floor((minutes * 60) / BUCKET_SECONDS / 2)); // traffic in at least half the span
  const warnings = data.status === 'ready' ? collapseWarnings(data.data.rows, data.data.experts, { above, below, minBuckets }) : [];

  return (
    <section aria-labelledby="collapse-title">
      <h2 id="collapse-title">Collapse warnings</h2>
      <div class="toolbar">
        <label>Above <input type="number" min="1" step="0.5" value={above} onInput={(e) => { setAbove(Number(e.currentTarget.value)); }} />× fair share</label>
        <label>Below <input type="number" min="0" max="1" step="0.05" value={below} onInput={(e) => { setBelow(Number(e.currentTarget.value)); }} />× fair share</label>
        <label>For <input type="number" min="1" max="60" value={minutes} onInput={(e) => { setMinutes(Number(e.currentTarget.value)); }} /> minutes</label>
        <button type="button" onClick={reload}>Check again</button>
      </div>
      {data.status === 'loading' && <Loading what="recent utilisation" />}
      {data.status === 'error' && <Failure error={data.error} onRetry={reload} />}
      {data.status === 'ready' && warnings.length === 0 && (
        <p class="status ok" data-testid="collapse-none">No expert stayed outside {below}×–{above}× its fair share for {minutes} minutes
          (needs traffic in at least {minBuckets} ten-second buckets).</p>
      )}
      {warnings.length > 0 && (
        <ul data-testid="collapse-warnings">
          {warnings.map((w) => (
            <li key={`${w.layer}/${w.expert}`} class={`warning-${w.kind}`}>
              <a href={`#/experts`}>Layer {w.layer}, expert {w.expert}</a> {describe(w)} in all {w.buckets} buckets of the last {minutes} minutes
              ({w.kind === 'hot' ? 'hot' : 'cold'}).
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
