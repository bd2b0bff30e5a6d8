/** Serving figures (vLLM's names where the quantity is the same), polled every two seconds. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, getJson } from '../../api/http';
import type { ServingFigures } from '../../api/types';
import { formatDecimal, formatInteger, formatSeconds } from '../../ui/format';
import { Failure, Loading } from '../../ui/StatusMessage';
import { ratesBetween, type ServingRates } from './servingRates';

const POLL_MS = 2000;

export function ServingPanel() {
  const [figures, setFigures] = useState<ServingFigures | null>(null);
  const [rates, setRates] = useState<ServingRates | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const previous = useRef<ServingFigures | null>(null);

  useEffect(() => {
    let stopped = false;
    const poll = async (): Promise<void> => {
      if (document.hidden) {
        return;
      }
      try {
        const next = await getJson<ServingFigures>('/api/stats/serving');
        if (stopped) return;
        if (previous.current !== null) {
          setRates(ratesBetween(previous.current, next));
        }
        previous.current = next;
        setFigures(next);
        setError(null);
      } catch (failure) {
        if (!stopped) setError(failure instanceof ApiError ? failure : new ApiError(0, String(failure), null));
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => { stopped = true; clearInterval(timer); };
  }, []);

  return (
    <section aria-labelledby="serving-title">
      <h2 id="serving-title">Serving</h2>
      {error !== null && <Failure error={error} />}
      {figures === null && error === null && <Loading what="serving figures" />}
      {figures !== null && (
        <dl class="figures">
          <div><dt>Requests finished</dt><dd>{formatInteger(figures.requestsFinished)}</dd></div>
          <div><dt>Rejected (429/503)</dt><dd>{formatInteger(figures.requestsRejected)}</dd></div>
          <div><dt>Generation tokens/s</dt><dd>{rates === null ? '–' : formatDecimal(rates.tokensPerSecond)}</dd></div>
          <div><dt>Time to first token p50 / p90</dt><dd>{formatSeconds(figures.timeToFirstTokenP50Seconds)} / {formatSeconds(figures.timeToFirstTokenP90Seconds)}</dd></div>
          <div><dt>Inter-token latency p50</dt><dd>{formatSeconds(figures.interTokenLatencyP50Seconds)}</dd></div>
          <div><dt>Waiting requests</dt><dd>{formatInteger(figures.queued)}</dd></div>
          <div><dt>Running sequences</dt><dd>{formatInteger(figures.running)}</dd></div>
        </dl>
      )}
      <p class="caption">Source /api/stats/serving (the Prometheus meters); latencies over Micrometer's recent window.</p>
    </section>
  );
}
