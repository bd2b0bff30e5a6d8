/** Loads data for a view and keeps its three states apart: loading, failed (with the server's message), ready. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/http';

export type AsyncState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; data: T };

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) {
    return error;
  }
  return new ApiError(0, error instanceof Error ? error.message : String(error), null);
}

/** Runs `load` whenever `key` changes; `reload` runs it again. Answers of superseded loads are dropped. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, key: string): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    setState((previous) => (previous.status === 'ready' ? previous : { status: 'loading' }));
    load(abort.signal).then(
      (data) => { if (!abort.signal.aborted) setState({ status: 'ready', data }); },
      (error: unknown) => { if (!abort.signal.aborted) setState({ status: 'error', error: asApiError(error) }); },
    );
    return () => { abort.abort(); };
    // `load` is recreated on every render; `key` says when its inputs changed.
  }, [key, generation]);
  const reload = useCallback(() => { setGeneration((g) => g + 1); }, []);
  return [state, reload];
}
