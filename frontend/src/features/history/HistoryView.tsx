/**
 * History & analysis: utilisation of one layer over a chosen range and bucket, the per-domain distribution
 * (Mixtral Fig. 7), consecutive-token rates against the random baselines (Table 5), top tokens per expert;
 * each table exports as CSV; and the model's held-out loss per domain as `eval` measured it.
 */
import { useMemo, useState } from 'preact/hooks';
import { getJson, query } from '../../api/http';
import type { ExpertUsage } from '../../api/types';
import { expertColour } from '../../ui/expertColours';
import { Empty, Failure, Loading } from '../../ui/StatusMessage';
import { TimeChart } from '../../ui/TimeChart';
import { useAsync } from '../../ui/useAsync';
import { AnalysisTables } from './AnalysisTables';
import { CsvButton } from './CsvButton';
import { HeldOutTable } from './HeldOutTable';
import { type Bucket, bucketsFor } from './historyBuckets';
import { layerUtilisation } from './utilisationSeries';

const RANGES = [
  { label: 'Last 15 minutes', minutes: 15 },
  { label: 'Last hour', minutes: 60 },
  { label: 'Last 24 hours', minutes: 1440 },
  { label: 'Last 7 days', minutes: 10080 },
] as const;

export function HistoryView({ model }: { model: string }) {
  const [range, setRange] = useState(1);
  const [chosenBucket, setBucket] = useState<Bucket>('1m');
  const [layer, setLayer] = useState(0);
  const minutes = (RANGES[range] ?? RANGES[0]).minutes;
  const offered = bucketsFor(minutes);
  // a bucket the new range does not offer gives way to the range's finest
  const bucket: Bucket = offered.includes(chosenBucket) ? chosenBucket : (offered[0] ?? '1h');
  const from = useMemo(() => new Date(Date.now() - minutes * 60_000).toISOString(), [minutes, bucket]);
  const [rows, reload] = useAsync(
    (signal) => getJson<ExpertUsage[]>(`/api/stats/utilisation${query({ model, from, bucket })}`, signal), `${model}|${from}|${bucket}`);
  const layers = rows.status === 'ready' ? [...new Set(rows.data.map((r) => r.layer))].sort((a, b) => a - b) : [];
  const series = useMemo(() => (rows.status === 'ready' ? layerUtilisation(rows.data, layer) : null), [rows, layer]);

  return (
    <>
      <div class="toolbar">
        <label>Range <select value={range} onChange={(e) => { setRange(Number(e.currentTarget.value)); }}>
          {RANGES.map((r, i) => <option key={r.label} value={i}>{r.label}</option>)}
        </select></label>
        <label>Bucket <select value={bucket} onChange={(e) => { setBucket(e.currentTarget.value as Bucket); }}>
          {offered.map((b) => <option key={b} value={b}>{b}</option>)}
        </select></label>
        <label>Layer <select value={layer} onChange={(e) => { setLayer(Number(e.currentTarget.value)); }}>
          {(layers.length === 0 ? [0] : layers).map((l) => <option key={l} value={l}>{l}</option>)}
        </select></label>
        <button type="button" onClick={reload}>Refresh</button>
      </div>
      <section aria-labelledby="utilisation-title">
        <h2 id="utilisation-title">Utilisation</h2>
        {rows.status === 'loading' && <Loading what="utilisation" />}
        {rows.status === 'error' && <Failure error={rows.error} onRetry={reload} />}
        {rows.status === 'ready' && rows.data.length === 0 && <Empty>No routing recorded in this range.</Empty>}
        {rows.status === 'ready' && series !== null && series.experts.length > 0 && (
          <>
            <TimeChart
              title={`Layer ${layer}: each expert's share of the layer's top-k assignments per ${bucket} (source /api/stats/utilisation); dashed: fair share 1/N`}
              data={series.data} yLabel="share"
              series={[...series.experts.map((e) => ({ label: `E${e}`, colour: expertColour(e) })), { label: 'Fair share', colour: '#555555', dashed: true }]}
            />
            <CsvButton fileName={`utilisation-${model}.csv`}
              header={['bucketStart', 'domain', 'layer', 'expert', 'firstChoice', 'anyChoice', 'routerProbabilitySum', 'share']}
              rows={rows.data.map((r) => [r.bucketStart, r.domain, r.layer, r.expert, r.firstChoice, r.anyChoice, r.routerProbabilitySum, r.share])}
              label="Export utilisation (all layers) as CSV" />
          </>
        )}
      </section>
      <AnalysisTables model={model} from={from} layer={layer} />
      <HeldOutTable model={model} />
    </>
  );
}
