/** Per-domain expert distribution (Mixtral Fig. 7), consecutive-token rates (Table 5), and top tokens per expert. */
import { useState } from 'preact/hooks';
import { getJson, query } from '../../api/http';
import type { ConsecutiveRates, DomainDistribution, TokenCount } from '../../api/types';
import { Empty, Failure, Loading } from '../../ui/StatusMessage';
import { formatInteger, formatPercent } from '../../ui/format';
import { useAsync } from '../../ui/useAsync';
import { CsvButton } from './CsvButton';


const domainName = (domain: string): string => (domain === '' ? '(none)' : domain);

export function AnalysisTables({ model, from, layer }: { model: string; from: string; layer: number }) {
  const [expert, setExpert] = useState(0);
  const [domains] = useAsync((s) => getJson<DomainDistribution[]>(`/api/stats/domains${query({ model, from, layer })}`, s), `${model}|${from}|${layer}`);
  const [rates] = useAsync((s) => getJson<ConsecutiveRates[]>(`/api/stats/consecutive${query({ model, from })}`, s), `${model}|${from}`);
  const [top] = useAsync((s) => getJson<TokenCount[]>(`/api/stats/top-tokens${query({ model, from, layer, expert, limit: 20 })}`, s),
    `${model}|${from}|${layer}|${expert}`);
  const width = domains.status === 'ready' ? Math.max(0, ...domains.data.map((d) => d.shares.length)) : 0;

  return (
    <>
      <section aria-labelledby="domains-title">
        <h2 id="domains-title">Expert share by domain, layer {layer}</h2>
        {domains.status === 'loading' && <Loading what="domains" />}
        {domains.status === 'error' && <Failure error={domains.error} />}
        {domains.status === 'ready' && domains.data.length === 0 && <Empty>No assignments in this range.</Empty>}
        {domains.status === 'ready' && domains.data.length > 0 && (
          <>
            <table>
              <caption>Share of assignments per expert; uniform is 1/N = {formatPercent(domains.data[0]?.uniformShare ?? 0)}</caption>
              <thead><tr><th scope="col">Domain</th><th scope="col">Assignments</th>{Array.from({ length: width }, (_, e) => <th scope="col" key={e}>E{e}</th>)}</tr></thead>
              <tbody>{domains.data.map((d) => (
                <tr key={d.domain}><th scope="row">{domainName(d.domain)}</th><td>{formatInteger(d.assignments)}</td>
                  {d.shares.map((s, e) => <td key={e}>{formatPercent(s)}</td>)}</tr>
              ))}</tbody>
            </table>
            <CsvButton fileName={`domains-layer${layer}.csv`} label="Export domains as CSV"
              header={['domain', 'layer', 'assignments', 'uniformShare', ...Array.from({ length: width }, (_, e) => `expert${e}`)]}
              rows={domains.data.map((d) => [d.domain, d.layer, d.assignments, d.uniformShare, ...d.shares])} />
          </>
        )}
      </section>
      <section aria-labelledby="consecutive-title">
        <h2 id="consecutive-title">Consecutive tokens on the same expert</h2>
        {rates.status === 'loading' && <Loading what="consecutive rates" />}
        {rates.status === 'error' && <Failure error={rates.error} />}
        {rates.status === 'ready' && rates.data.length === 0 && <Empty>No consecutive token pairs in this range.</Empty>}
        {rates.status === 'ready' && rates.data.length > 0 && (
          <>
            <table>
              <caption>Rates against random routing (Mixtral Table 5)</caption>
              <thead><tr><th scope="col">Domain</th><th scope="col">Layer</th><th scope="col">Pairs</th><th scope="col">Same first choice</th>
                <th scope="col">Random</th><th scope="col">First-or-second overlap</th><th scope="col">Random</th></tr></thead>
              <tbody>{rates.data.map((r) => (
                <tr key={`${r.domain}|${r.layer}`}><th scope="row">{domainName(r.domain)}</th><td>{r.layer}</td><td>{formatInteger(r.pairs)}</td>
                  <td>{formatPercent(r.sameFirstRate)}</td><td>{formatPercent(r.randomSameFirstRate)}</td>
                  <td>{formatPercent(r.firstOrSecondRate)}</td><td>{formatPercent(r.randomFirstOrSecondRate)}</td></tr>
              ))}</tbody>
            </table>
            <CsvButton fileName="consecutive.csv" label="Export consecutive rates as CSV"
              header={['domain', 'layer', 'pairs', 'sameFirstRate', 'randomSameFirstRate', 'firstOrSecondRate', 'randomFirstOrSecondRate']}
              rows={rates.data.map((r) => [r.domain, r.layer, r.pairs, r.sameFirstRate, r.randomSameFirstRate, r.firstOrSecondRate, r.randomFirstOrSecondRate])} />
          </>
        )}
      </section>
      <section aria-labelledby="top-title">
        <h2 id="top-title">Top tokens of an expert, layer {layer}</h2>
        <label>Expert <input type="number" min="0" value={expert} onInput={(e) => { setExpert(Number(e.currentTarget.value)); }} /></label>
        {top.status === 'loading' && <Loading what="top tokens" />}
        {top.status === 'error' && <Failure error={top.error} />}
        {top.status === 'ready' && top.data.length === 0 && <Empty>No sampled traces routed to this expert in this range (trace-sample-rate samples 1 % of requests by default).</Empty>}
        {top.status === 'ready' && top.data.length > 0 && (
          <>
            <table>
              <caption>Tokens most often routed to expert {expert} (sampled traces)</caption>
              <thead><tr><th scope="col">Token</th><th scope="col">Count</th></tr></thead>
              <tbody>{top.data.map((t) => <tr key={t.token}><th scope="row"><code>{t.token}</code></th><td>{formatInteger(t.count)}</td></tr>)}</tbody>
            </table>
            <CsvButton fileName={`top-tokens-l${layer}-e${expert}.csv`} label="Export top tokens as CSV"
              header={['token', 'count']} rows={top.data.map((t) => [t.token, t.count])} />
          </>
        )}
      </section>
    </>
  );
}
