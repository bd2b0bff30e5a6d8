/** The replicas heard from recently: version, model, the expert configuration each runs, load and heartbeat. */
import { formatInteger, formatLocalDateTime, formatLocalTime } from '../../ui/format';
import { Empty } from '../../ui/StatusMessage';
import type { FleetRow } from './fleetRows';

function Time({ iso, long = false }: { iso: string; long?: boolean }) {
  return <time dateTime={iso} title={iso}>{long ? formatLocalDateTime(iso) : formatLocalTime(iso)}</time>;
}

export function ReplicasTable({ rows, newestVersion }: { rows: FleetRow[]; newestVersion: number }) {
  const listed = rows.filter((r) => r.replica !== null);
  return (
    <section aria-labelledby="replicas-title">
      <h2 id="replicas-title">Replicas</h2>
      {listed.length === 0
        ? <Empty>No replica has reported within the instance expiry (switchboard.fleet.instance-expiry, 30 s by default).</Empty>
        : (
          <table data-testid="replicas">
            <caption>Replicas sharing this database, newest expert configuration version {newestVersion}</caption>
            <thead>
              <tr><th scope="col">Instance</th><th scope="col">State</th><th scope="col">App version</th><th scope="col">Model</th>
                <th scope="col">Expert configuration</th><th scope="col">Waiting</th><th scope="col">Running</th>
                <th scope="col">Started</th><th scope="col">Last heartbeat</th></tr>
            </thead>
            <tbody>
              {listed.map(({ instance, replica, state, stateText }) => replica !== null && (
                <tr key={instance} data-instance={instance} data-state={state}>
                  <th scope="row">{instance}</th>
                  <td><span class={`state state-${state}`}>{stateText}</span></td>
                  <td>{replica.version}</td>
                  <td>{replica.model ?? '–'}</td>
                  <td data-testid="applied-version">version {replica.expertConfigurationVersion} of {newestVersion}</td>
                  <td>{formatInteger(replica.queued)}</td>
                  <td>{formatInteger(replica.running)}</td>
                  <td><Time iso={replica.startedAt} long /></td>
                  <td><Time iso={replica.lastHeartbeat} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      <p class="caption">Source /api/admin/instances (each replica's last heartbeat); silent ones are marked stale after 15 s and dropped after the expiry.</p>
    </section>
  );
}
