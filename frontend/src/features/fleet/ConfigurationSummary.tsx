/** The newest shared expert configuration: its version, who stored it, what it changes, how many replicas run it. */
import type { ExpertConfigurationView } from '../../api/types';
import { formatLocalDateTime } from '../../ui/format';
import { syncedCount, type FleetRow } from './fleetRows';

export function ConfigurationSummary({ configuration, rows }: { configuration: ExpertConfigurationView; rows: FleetRow[] }) {
  const { synced, serving } = syncedCount(rows);
  const { rebuilt, contributed, disabled } = configuration.configuration;
  return (
    <section aria-labelledby="configuration-title">
      <h2 id="configuration-title">Expert configuration</h2>
      <dl class="figures">
        <div><dt>Newest version</dt><dd data-testid="newest-version">{configuration.version}</dd></div>
        <div><dt>Stored</dt><dd>{configuration.changedAt === null ? 'never (the model as loaded)'
          : <time dateTime={configuration.changedAt} title={configuration.changedAt}>{formatLocalDateTime(configuration.changedAt)}</time>}
          {configuration.changedBy !== null && ` by ${configuration.changedBy}`}</dd></div>
        <div><dt>Changes from the checkpoint</dt>
          <dd>{rebuilt.length} rebuilt, {contributed.length} contributed, {disabled.length} disabled</dd></div>
        <div><dt>Replicas in sync</dt><dd data-testid="replicas-in-sync">{synced} of {serving}</dd></div>
      </dl>
      <p class="caption">Source /api/admin/experts/configuration; a replica counts as in sync from its next heartbeat.</p>
    </section>
  );
}
