/** The loading, empty and error states every view shows in the same place and wording style. */
import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api/http';

export function Loading({ what }: { what: string }) {
  return <p class="status" role="status">Loading {what}…</p>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="status empty">{children}</p>;
}

/** What went wrong, in the server's words, with what to do for the common cases. */
export function Failure({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const hint =
    error.status === 0 ? 'Check that the server is running.'
    : error.code === 'model_loading' ? 'The model is still loading; try again in a few seconds.'
    : error.status === 401 ? 'Your token was refused; sign out and sign in again.'
    : error.status >= 500 ? 'The server could not answer (the database may be away).'
    : '';
  return (
    <div class="status error" role="alert">
      <p>{error.message} {hint}</p>
      {onRetry && <button type="button" onClick={onRetry}>Try again</button>}
    </div>
  );
}
