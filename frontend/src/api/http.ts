/**
 * The one place the dashboard talks HTTP: relative URLs (the app serves the dashboard itself), the admin
 * token from this tab's sessionStorage as `Authorization: Bearer`, and OpenAI-shaped errors turned into
 * {@link ApiError} carrying the server's own message.
 */
import type { ApiErrorBody } from './types';

const TOKEN_KEY = 'switchboard.adminToken';

/** The admin token lives in sessionStorage: one sign-in per tab, never in a URL or cookie (no CSRF surface). */
export const session = {
  token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  signIn(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  signOut(): void {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** A failed call: HTTP status, the server's message and its OpenAI error code when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && 'error' in value && typeof value.error === 'object';
}

/** Turns a non-2xx response into an ApiError with the server's message (status text when the body is not JSON). */
export async function errorOf(response: Response): Promise<ApiError> {
  let message = `${response.status} ${response.statusText}`;
  let code: string | null = null;
  try {
    const body: unknown = await response.json();
    if (isErrorBody(body)) {
      message = body.error.message;
      code = body.error.code;
    }
  } catch {
    // not JSON (a proxy's page, an empty body): keep the status line
  }
  return new ApiError(response.status, message, code);
}

/** fetch with the admin token; the stream modules use it too, since EventSource cannot send headers. */
export function authorisedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = session.token();
  if (token !== null) {
    headers.set('Authorization', `Bearer ${token}`);
  }
  return fetch(path, { ...init, headers });
}

async function call<T>(path: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await authorisedFetch(path, init);
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Is Switchboard running?', 'unreachable');
  }
  if (!response.ok) {
    throw await errorOf(response);
  }
  return (await response.json()) as T;
}

export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return call<T>(path, { method: 'GET', signal: signal ?? null, headers: { Accept: 'application/json' } });
}

export function sendJson<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return call<T>(path, {
    method,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

/** Builds a query string from the defined values only. */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      search.set(name, String(value));
    }
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
