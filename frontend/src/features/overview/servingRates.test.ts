import { describe, expect, it } from 'vitest';
import type { ServingFigures } from '../../api/types';
import { ratesBetween } from './servingRates';

function reading(at: string, generatedTokens: number, requestsFinished: number): ServingFigures {
  return {
    at, generatedTokens, requestsFinished, requestsRejected: 0, promptTokens: 0, queued: 0, running: 0,
    timeToFirstTokenP50Seconds: 0, timeToFirstTokenP90Seconds: 0, interTokenLatencyP50Seconds: 0, interTokenLatencyP90Seconds: 0,
  };
}

describe('ratesBetween', () => {
  it('divides counter growth by elapsed seconds', () => {
    const rates = ratesBetween(reading('2026-01-01T00:00:00Z', 100, 1), reading('2026-01-01T00:00:02Z', 160, 3));
    expect(rates).toEqual({ tokensPerSecond: 30, requestsPerSecond: 1 });
  });

  it('answers null when counters went back (the server restarted) or no time passed', () => {
    expect(ratesBetween(reading('2026-01-01T00:00:00Z', 100, 1), reading('2026-01-01T00:00:02Z', 5, 0))).toBeNull();
    expect(ratesBetween(reading('2026-01-01T00:00:00Z', 1, 1), reading('2026-01-01T00:00:00Z', 1, 1))).toBeNull();
  });
});
