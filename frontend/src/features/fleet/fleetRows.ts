/**
 * The fleet table's rows: each replica joined with its usage and judged against the newest expert configuration.
 * Instances that served in the range but no longer send heartbeats (expired, restarted under a new id) keep
 * their usage row, so the per-instance rows always add up to the fleet total.
 */
import type { InstanceUsage, ReplicaView } from '../../api/types';

/**
 * A heartbeat older than this is shown as stale: replicas report every poll interval (5 s by default) and are
 * dropped from the list after the instance expiry (30 s), so three missed reports flag it before it disappears.
 */
export const STALE_AFTER_MS = 15_000;

export type ReplicaState = 'current' | 'behind' | 'config-error' | 'stale' | 'other-model' | 'gone';

export interface FleetRow {
  instance: string;
  /** Its last heartbeat; null for an instance known only from the statistics (no longer listed). */
  replica: ReplicaView | null;
  /** Its usage over the range; zeros when it served nothing there. */
  usage: InstanceUsage;
  state: ReplicaState;
  /** The state in words, with the reason for an error: what the table shows next to the state's mark. */
  stateText: string;
}

const noUsage = (instance: string): InstanceUsage =>
  ({ instance, requests: 0, promptTokens: 0, completionTokens: 0, routedTokens: 0 });

export function replicaState(replica: ReplicaView, model: string, newestVersion: number, now: number):
  { state: ReplicaState; stateText: string } {
  const silentMs = now - Date.parse(replica.lastHeartbeat);
  if (silentMs > STALE_AFTER_MS) {
    return { state: 'stale', stateText: `Stale: no heartbeat for ${Math.round(silentMs / 1000)} s` };
  }
  if (replica.model !== model) {
    return { state: 'other-model', stateText: replica.model === null ? 'No model loaded' : `Serves ${replica.model}` };
  }
  if (replica.expertConfigurationError !== null) {
    return { state: 'config-error', stateText: `Cannot apply version ${newestVersion}: ${replica.expertConfigurationError}` };
  }
  if (replica.expertConfigurationVersion !== newestVersion) {
    return { state: 'behind', stateText: `Not synced: runs version ${replica.expertConfigurationVersion} of ${newestVersion}` };
  }
  return { state: 'current', stateText: 'In sync' };
}

/** One row per instance in either list, by instance id. */
export function fleetRows(replicas: ReplicaView[], usage: InstanceUsage[], model: string, newestVersion: number,
  now: number): FleetRow[] {
  const usageOf = new Map(usage.map((u) => [u.instance, u]));
  const rows: FleetRow[] = replicas.map((replica) => ({
    instance: replica.instance,
    replica,
    usage: usageOf.get(replica.instance) ?? noUsage(replica.instance),
    ...replicaState(replica, model, newestVersion, now),
  }));
  const listed = new Set(replicas.map((r) => r.instance));
  for (const u of usage) {
    if (!listed.has(u.instance)) {
      rows.push({ instance: u.instance, replica: null, usage: u, state: 'gone', stateText: 'No longer reporting' });
    }
  }
  return rows.sort((a, b) => a.instance.localeCompare(b.instance));
}

/** How many listed replicas of the model run the newest version without an error, for the summary line. */
export function syncedCount(rows: FleetRow[]): { synced: number; serving: number } {
  const serving = rows.filter((r) => r.replica !== null && r.state !== 'other-model');
  return { synced: serving.filter((r) => r.state === 'current').length, serving: serving.length };
}
