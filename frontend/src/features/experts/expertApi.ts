/** The expert and plugin admin calls (docs/API.md, /api/admin/**); each change answers the new table. */
import { getJson, query, sendJson } from '../../api/http';
import type { AddRequest, ExpertEvent, ExpertTableView, ExpertUsage, PluginView, ReplaceRequest } from '../../api/types';

const EXPERTS = '/api/admin/experts';

export const expertApi = {
  table: (signal?: AbortSignal) => getJson<ExpertTableView>(EXPERTS, signal),
  plugins: (signal?: AbortSignal) => getJson<PluginView[]>('/api/admin/plugins', signal),
  events: (signal?: AbortSignal) => getJson<ExpertEvent[]>(`/api/stats/events${query({ limit: 200 })}`, signal),
  recentUsage: (model: string, signal?: AbortSignal) => getJson<ExpertUsage[]>(`/api/stats/utilisation${query({
    model, from: new Date(Date.now() - 15 * 60_000).toISOString(), bucket: '1m',
  })}`, signal),
  disable: (layer: number, expert: number) =>
    sendJson<ExpertTableView>('POST', `${EXPERTS}/layers/${layer}/experts/${expert}/disable`),
  enable: (layer: number, expert: number) =>
    sendJson<ExpertTableView>('POST', `${EXPERTS}/layers/${layer}/experts/${expert}/enable`),
  replace: (layer: number, request: ReplaceRequest) => sendJson<ExpertTableView>('POST', `${EXPERTS}/layers/${layer}/replace`, request),
  add: (request: AddRequest) => sendJson<ExpertTableView>('POST', `${EXPERTS}/contributed`, request),
  remove: (plugin: string, name: string) =>
    sendJson<ExpertTableView>('DELETE', `${EXPERTS}/contributed/${encodeURIComponent(plugin)}/${encodeURIComponent(name)}`),
};
