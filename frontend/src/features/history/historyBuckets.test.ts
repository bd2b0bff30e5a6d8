import { describe, expect, it } from 'vitest';
import { bucketsFor } from './historyBuckets';

describe('bucketsFor', () => {
  it('offers each range the buckets that give 2 to 720 points', () => {
    expect(bucketsFor(15)).toEqual(['10s', '1m', '5m']); // 90, 15, 3 points; 15m and 1h give one or none
    expect(bucketsFor(60)).toEqual(['10s', '1m', '5m', '15m']); // 360 .. 4
    expect(bucketsFor(1440)).toEqual(['5m', '15m', '1h']); // 288, 96, 24; 1m would be 1,440
    expect(bucketsFor(10080)).toEqual(['15m', '1h']); // 672, 168; 5m would be 2,016
  });
});
