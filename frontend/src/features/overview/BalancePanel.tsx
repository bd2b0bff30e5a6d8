/** Balance gauges over a chosen span as time series per layer, with the uniform-routing reference line. */
import { useMemo, useState } from 'preact/hooks';
import { getJson, query } from '../../api/http';
import type { BalanceGauges } from '../../api/types';
import { expertColour } from '../../ui/expertColours';
import { Empty, Failure, Loading } from '../../ui/StatusMessage';
import { TimeChart } from '../../ui/TimeChart';
import { useAsync } from '../../ui/useAsync';
import { balanceColumns, GAUGES, type GaugeName } from './balanceSeries';

export const SPANS = [
  { label: 'Last 15 minutes', minutes: 15, bucket: '10s' },
  { label: 'Last hour', minutes: 60, bucket: '1m' },
  { label: 'Last 6 hours', minutes: 360, bucket: '5m' },
  { label: 'Last 24 hours', minutes: 1440, bucket: '15m' },
] as const;

export function BalancePanel({ model }: { model: string }) {
  const [span, setSpan] = useState(0);
  const [gauge, setGauge] = useState<GaugeName>('jainIndex');
  const chosen = SPANS[span] ?? SPANS[0];
  const [rows, reload] = useAsync((signal) => {
    const from = new Date(Date.now() - chosen.minutes * 60_000).toISOString();
    return getJson<BalanceGauges[]>(`/api/stats/balance${query({ model, from, bucket: chosen.bucket })}`, signal);
  }, `${model}|${span}`);
  const columns = useMemo(() => (rows.status === 'ready' ? balanceColumns(rows.data, gauge) : null), [rows, gauge]);

  return (
    <section aria-labelledby="balance-title">
      <h2 id="balance-title">Load balance</h2>
      <div class="toolbar">
        <label>Span{' '}
          <select value={span} onChange={(event) => { setSpan(Number(event.currentTarget.value)); }}>
            {SPANS.map((s, i) => <option key={s.label} value={i}>{s.label}</option>)}
          </select>
        </label>
        <label>Gauge{' '}
          <select value={gauge} onChange={(event) => { setGauge(event.currentTarget.value as GaugeName); }}>
            {(Object.keys(GAUGES) as GaugeName[]).map((name) => <option key={name} value={name}>{GAUGES[name].label}</option>)}
          </select>
        </label>
        <button type="button" onClick={reload}>Refresh</button>
      </div>
      {rows.status === 'loading' && <Loading what="balance gauges" />}
      {rows.status === 'error' && <Failure error={rows.error} onRetry={reload} />}
      {columns !== null && columns.layers.length === 0 && <Empty>No routing recorded in this span yet.</Empty>}
      {columns !== null && columns.layers.length > 0 && (
        <TimeChart
          title={`${GAUGES[gauge].label} per layer, ${chosen.bucket} buckets (source /api/stats/balance); dashed: uniform routing`}
          data={columns.data}
          series={[
            ...columns.layers.map((layer) => ({ label: `Layer ${layer}`, colour: expertColour(layer) })),
            { label: 'Uniform', colour: '#555555', dashed: true },
          ]}
        />
      )}
    </section>
  );
}
