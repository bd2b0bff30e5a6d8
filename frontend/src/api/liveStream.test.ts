import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BACKOFF, backoffDelay, openLiveStream, type LiveStatus } from './liveStream';
import type { LiveWindow } from './types';

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

const frame: LiveWindow = { windowStart: '2026-01-01T00:00:00Z', layers: [] };

function sse(...events: string[]): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const event of events) controller.enqueue(new TextEncoder().encode(event));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

function error(status: number, message: string): Response {
  return new Response(JSON.stringify({ error: { message, type: 'x', param: null, code: null } }), { status });
}

describe('openLiveStream', () => {
  const statuses: LiveStatus[] = [];
  const windows: LiveWindow[] = [];
  const fetch = vi.fn<(url: string, init: RequestInit) => Promise<Response>>();
  const handlers = { onStatus: (s: LiveStatus) => statuses.push(s), onWindow: (w: LiveWindow) => windows.push(w) };

  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const storage = new Map([['switchboard.adminToken', 'secret']]);
    vi.stubGlobal('sessionStorage', { getItem: (key: string) => storage.get(key) ?? null });
    vi.stubGlobal('fetch', fetch);
    statuses.length = 0;
    windows.length = 0;
    fetch.mockReset();
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('sends the admin token, retries after a failure with backoff, then delivers frames', async () => {
    fetch.mockResolvedValueOnce(error(503, 'Model is loading'))
      .mockResolvedValueOnce(error(503, 'Model is loading'))
      .mockResolvedValueOnce(sse(`data: ${JSON.stringify(frame)}\n\n`));
    const close = openLiveStream('m', handlers);
    await vi.advanceTimersByTimeAsync(0);
    expect(new Headers(fetch.mock.calls[0]?.[1].headers).get('Authorization')).toBe('Bearer secret');
    expect(statuses.at(-1)).toEqual({ state: 'waiting', retryInMs: 500, reason: 'Model is loading' });

    await vi.advanceTimersByTimeAsync(500);
    expect(statuses.at(-1)).toEqual({ state: 'waiting', retryInMs: 1000, reason: 'Model is loading' });

    await vi.advanceTimersByTimeAsync(1000);
    expect(windows).toEqual([frame]);
    // the stream ended after a frame: the next wait starts from the first delay again
    expect(statuses.at(-1)).toMatchObject({ state: 'waiting', retryInMs: 500 });
    close();
  });

  it('stops for good when the token is refused', async () => {
    fetch.mockResolvedValue(error(401, 'Invalid token'));
    openLiveStream('m', handlers);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(statuses.at(-1)).toEqual({ state: 'refused', reason: 'Invalid token' });
  });

  it('closing cancels the pending reconnect', async () => {
    fetch.mockResolvedValue(error(503, 'down'));
    const close = openLiveStream('m', handlers);
    await vi.advanceTimersByTimeAsync(0);
    close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
