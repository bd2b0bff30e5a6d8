/**
 * The live statistics stream (GET /api/stats/live, SSE). EventSource cannot send the Authorization header
 * the route needs, so this streams with fetch, and reconnects itself with exponential backoff (with jitter,
 * capped) after the server goes away; a refused token stops it for good.
 */
import { authorisedFetch, errorOf } from './http';
import { readSseData } from './sseEvents';
import type { LiveWindow } from './types';

export type LiveStatus =
  | { state: 'connecting'; attempt: number }
  | { state: 'open' }
  | { state: 'waiting'; retryInMs: number; reason: string }
  | { state: 'refused'; reason: string };

export interface LiveHandlers {
  onWindow(window: LiveWindow): void;
  onStatus(status: LiveStatus): void;
}

export const BACKOFF = { firstMs: 500, maxMs: 30_000 };

/** Delay before reconnect attempt `attempt` (1-based): first·2^(attempt−1), capped, plus up to 20 % jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF.maxMs, BACKOFF.firstMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 + 0.2 * random()));
}

/** Opens the stream; the returned function closes it (and cancels any pending reconnect). */
export function openLiveStream(model: string, handlers: LiveHandlers): () => void {
  const abort = new AbortController();
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = async (): Promise<void> => {
    attempt += 1;
    handlers.onStatus({ state: 'connecting', attempt });
    let reason = 'the stream ended';
    try {
      const response = await authorisedFetch(`/api/stats/live?model=${encodeURIComponent(model)}`, {
        signal: abort.signal,
        headers: { Accept: 'text/event-stream' },
      });
      if (response.status === 401 || response.status === 403) {
        handlers.onStatus({ state: 'refused', reason: (await errorOf(response)).message });
        return;
      }
      if (!response.ok) {
        reason = (await errorOf(response)).message;
      } else {
        await readSseData(response, (data) => {
          attempt = 0; // a frame arrived: the next outage starts its backoff from the beginning
          handlers.onStatus({ state: 'open' });
          handlers.onWindow(JSON.parse(data) as LiveWindow);
        });
      }
    } catch (error) {
      if (abort.signal.aborted) {
        return;
      }
      reason = error instanceof Error ? error.message : String(error);
    }
    if (abort.signal.aborted) {
      return;
    }
    const retryInMs = backoffDelay(Math.max(1, attempt));
    handlers.onStatus({ state: 'waiting', retryInMs, reason });
    timer = setTimeout(() => void connect(), retryInMs);
  };

  void connect();
  return () => {
    abort.abort();
    clearTimeout(timer);
  };
}
