/** The fleet calls (docs/API.md, "Replicas"): live replicas, usage per replica, the newest expert configuration. */
import { getJson, query } from '../../api/http';
import type { ExpertConfigurationView, FleetUsage, ReplicaView } from '../../api/types';

/** The usage table covers the last hour, the statistics API's own default range, named here so the caption can say it. */
export const USAGE_WINDOW_MS = 60 * 60_000;

export const fleetApi = {
  instances: (signal?: AbortSignal) => getJson<ReplicaView[]>('/api/admin/instances', signal),
  configuration: (signal?: AbortSignal) => getJson<ExpertConfigurationView>('/api/admin/experts/configuration', signal),
  usage: (model: string, now: number, signal?: AbortSignal) => getJson<FleetUsage>(`/api/stats/instances${query({
    model, from: new Date(now - USAGE_WINDOW_MS).toISOString(), to: new Date(now).toISOString(),
  })}`, signal),
};
