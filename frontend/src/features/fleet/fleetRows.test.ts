import { describe, expect, it } from 'vitest';
import type { InstanceUsage, ReplicaView } from '../../api/types';
import { fleetRows, STALE_AFTER_MS, syncedCount } from './fleetRows';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const MODEL = 'switchboard-mini';

function replica(instance: string, changes: Partial<ReplicaView> = {}): ReplicaView {
  return {
    instance, version: '0.1.0', model: MODEL, expertConfigurationVersion: 3, expertConfigurationError: null,
    queued: 0, running: 0, startedAt: '2026-01-01T11:00:00Z', lastHeartbeat: new Date(NOW - 2000).toISOString(), ...changes,
  };
}

function usage(instance: string, requests: number): InstanceUsage {
  return { instance, requests, promptTokens: 10 * requests, completionTokens: 8 * requests, routedTokens: 18 * requests };
}

describe('fleetRows', () => {
  it('marks each replica by its heartbeat and the configuration version it runs against the newest', () => {
    const rows = fleetRows([
      replica('a/1'),
      replica('b/1', { expertConfigurationVersion: 2 }),
      replica('c/1', { expertConfigurationVersion: 2, expertConfigurationError: 'plugin acme is not installed' }),
      replica('d/1', { lastHeartbeat: new Date(NOW - STALE_AFTER_MS - 5000).toISOString() }),
      replica('e/1', { model: 'other-model', expertConfigurationVersion: 0 }),
    ], [], MODEL, 3, NOW);
    expect(rows.map((r) => [r.instance, r.state])).toEqual([
      ['a/1', 'current'], ['b/1', 'behind'], ['c/1', 'config-error'], ['d/1', 'stale'], ['e/1', 'other-model'],
    ]);
    expect(rows[1]?.stateText).toBe('Not synced: runs version 2 of 3');
    expect(rows[2]?.stateText).toBe('Cannot apply version 3: plugin acme is not installed');
    expect(rows[3]?.stateText).toBe('Stale: no heartbeat for 20 s');
  });

  it('joins usage by instance, zero for a silent replica, and keeps instances that no longer report', () => {
    const rows = fleetRows([replica('b/2'), replica('a/1')], [usage('a/1', 4), usage('a/0', 2)], MODEL, 3, NOW);
    expect(rows.map((r) => [r.instance, r.state, r.usage.requests])).toEqual([
      ['a/0', 'gone', 2], ['a/1', 'current', 4], ['b/2', 'current', 0],
    ]);
    expect(rows.find((r) => r.instance === 'a/0')?.replica).toBeNull();
    expect(rows.find((r) => r.instance === 'b/2')?.usage).toEqual(usage('b/2', 0));
  });

  it('counts the listed replicas of the model that run the newest version', () => {
    const rows = fleetRows([replica('a/1'), replica('b/1', { expertConfigurationVersion: 1 }), replica('e/1', { model: null })],
      [usage('gone/1', 1)], MODEL, 3, NOW);
    expect(syncedCount(rows)).toEqual({ synced: 1, serving: 2 });
  });
});
