/**
 * Fleet: the replicas sharing this database (from their heartbeats), the expert configuration each one runs
 * against the newest, and usage per replica with the fleet total. Refreshed every five seconds while visible.
 */
import { useEffect } from 'preact/hooks';
import { Failure, Loading } from '../../ui/StatusMessage';
import { useAsync } from '../../ui/useAsync';
import { fleetApi } from './fleetApi';
import { ConfigurationSummary } from './ConfigurationSummary';
import { fleetRows } from './fleetRows';
import { ReplicasTable } from './ReplicasTable';
import { UsageTable } from './UsageTable';

const REFRESH_MS = 5000;

async function loadFleet(model: string, signal: AbortSignal) {
  const now = Date.now();
  const [replicas, configuration, usage] = await Promise.all([
    fleetApi.instances(signal), fleetApi.configuration(signal), fleetApi.usage(model, now, signal),
  ]);
  return { configuration, usage, rows: fleetRows(replicas, usage.instances, model, configuration.version, now) };
}

export function FleetView({ model }: { model: string }) {
  const [fleet, reload] = useAsync((signal) => loadFleet(model, signal), model);
  useEffect(() => {
    const timer = setInterval(() => { if (!document.hidden) reload(); }, REFRESH_MS);
    return () => { clearInterval(timer); };
  }, [reload]);

  if (fleet.status === 'loading') return <Loading what="the fleet" />;
  if (fleet.status === 'error') return <Failure error={fleet.error} onRetry={reload} />;
  const { configuration, usage, rows } = fleet.data;
  return (
    <>
      <ConfigurationSummary configuration={configuration} rows={rows} />
      <ReplicasTable rows={rows} newestVersion={configuration.version} />
      <UsageTable rows={rows} total={usage.total} />
    </>
  );
}
