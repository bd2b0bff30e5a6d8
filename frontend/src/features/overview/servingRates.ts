/** Rates between two readings of /api/stats/serving, as Prometheus' rate() derives them from counters. */
import type { ServingFigures } from '../../api/types';

export interface ServingRates {
  tokensPerSecond: number;
  requestsPerSecond: number;
}

export function ratesBetween(earlier: ServingFigures, later: ServingFigures): ServingRates | null {
  const seconds = (Date.parse(later.at) - Date.parse(earlier.at)) / 1000;
  const tokens = later.generatedTokens - earlier.generatedTokens;
  const requests = later.requestsFinished - earlier.requestsFinished;
  if (seconds <= 0 || tokens < 0 || requests < 0) {
    return null; // same reading, or counters reset by a restart
  }
  return { tokensPerSecond: tokens / seconds, requestsPerSecond: requests / seconds };
}
