import { describe, expect, it } from 'vitest';
import { BACKOFF, backoffDelay } from './liveStream';

describe('backoffDelay', () => {
  it('doubles from the first delay per attempt', () => {
    const noJitter = (): number => 0;
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, noJitter))).toEqual([500, 1000, 2000, 4000]);
  });

  it('is capped, with at most 20 % jitter on top', () => {
    expect(backoffDelay(30, () => 0)).toBe(BACKOFF.maxMs);
    expect(backoffDelay(30, () => 1)).toBe(BACKOFF.maxMs * 1.2);
  });
});
