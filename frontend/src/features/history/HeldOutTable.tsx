/** The served model's held-out loss per domain, as `eval` measured it (GET /api/stats/eval, from eval-report.json). */
import { getJson, query } from '../../api/http';
import type { ModelEvaluationView } from '../../api/types';
import { Empty, Failure, Loading } from '../../ui/StatusMessage';
import { formatDecimal, formatInteger, formatLocalDateTime } from '../../ui/format';
import { useAsync } from '../../ui/useAsync';
import { heldOutRows, heldOutSource } from './heldOutRows';

export function HeldOutTable({ model }: { model: string }) {
  const [evaluation] = useAsync((s) => getJson<ModelEvaluationView>(`/api/stats/eval${query({ model })}`, s), model);
  const missing = evaluation.status === 'error' && evaluation.error.code === 'eval_report_not_found';
  return (
    <section aria-labelledby="held-out-title">
      <h2 id="held-out-title">Held-out loss per domain</h2>
      {evaluation.status === 'loading' && <Loading what="held-out losses" />}
      {missing && <Empty>This model's folder has no eval-report.json; write one with <code>eval --json --output</code> (docs/DEFAULT-MODEL.md).</Empty>}
      {evaluation.status === 'error' && !missing && <Failure error={evaluation.error} />}
      {evaluation.status === 'ready' && (
        <table>
          <caption>{heldOutSource(evaluation.data, formatLocalDateTime)}</caption>
          <thead><tr><th scope="col">Domain</th><th scope="col">Windows</th><th scope="col">Tokens</th>
            <th scope="col">Nats/token</th><th scope="col">Bits/byte</th><th scope="col">Perplexity</th></tr></thead>
          <tbody>{heldOutRows(evaluation.data).map((r) => (
            <tr key={r.domain}><th scope="row">{r.domain}</th><td>{formatInteger(r.windows)}</td><td>{formatInteger(r.tokens)}</td>
              <td>{formatDecimal(r.natsPerToken)}</td><td>{r.bitsPerByte === null ? '–' : formatDecimal(r.bitsPerByte)}</td>
              <td>{formatDecimal(r.perplexity)}</td></tr>
          ))}</tbody>
        </table>
      )}
    </section>
  );
}
