/** Requests and tokens per instance over the last hour, with the fleet total (their exact sum) in the footer. */
import type { InstanceUsage } from '../../api/types';
import { formatInteger } from '../../ui/format';
import { Empty } from '../../ui/StatusMessage';
import type { FleetRow } from './fleetRows';

function Figures({ usage }: { usage: InstanceUsage }) {
  return (
    <>
      <td>{formatInteger(usage.requests)}</td><td>{formatInteger(usage.promptTokens)}</td>
      <td>{formatInteger(usage.completionTokens)}</td><td>{formatInteger(usage.routedTokens)}</td>
    </>
  );
}

export function UsageTable({ rows, total }: { rows: FleetRow[]; total: InstanceUsage }) {
  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">Usage per instance, last hour</h2>
      {rows.length === 0
        ? <Empty>No instance served this model in the last hour.</Empty>
        : (
          <table data-testid="instance-usage">
            <caption>Completed requests and tokens per instance</caption>
            <thead>
              <tr><th scope="col">Instance</th><th scope="col">Requests</th><th scope="col">Prompt tokens</th>
                <th scope="col">Completion tokens</th><th scope="col">Routed tokens</th></tr>
            </thead>
            <tbody>
              {rows.map(({ instance, usage, state }) => (
                <tr key={instance} data-instance={instance}>
                  <th scope="row">{instance}{state === 'gone' && <span class="muted"> (no longer reporting)</span>}</th>
                  <Figures usage={usage} />
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-testid="fleet-total"><th scope="row">Fleet total</th><Figures usage={total} /></tr>
            </tfoot>
          </table>
        )}
      <p class="caption">Source /api/stats/instances; routed tokens count layer 0 (prefill and decode) and fold into the fleet total once the raw windows are rolled up.</p>
    </section>
  );
}
