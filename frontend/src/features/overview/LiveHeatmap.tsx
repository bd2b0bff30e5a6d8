/**
 * The live heatmap: layer × expert load of the current statistics window (or of the previous one while the
 * current one is still empty), on a diverging scale centred on
 * the fair share 1/N. Every cell also prints its share, so nothing depends on colour alone. Frames are
 * coalesced to one render per animation frame, and not rendered while the tab is hidden.
 */
import { interpolateRdBu } from 'd3-scale-chromatic';
import { useEffect, useRef, useState } from 'preact/hooks';
import { openLiveStream, type LiveStatus } from '../../api/liveStream';
import type { LiveWindow } from '../../api/types';
import { textColourOn } from '../../ui/expertColours';
import { formatInteger, formatLocalTime, formatPercent } from '../../ui/format';
import { divergingPosition, heatmapOf, type Choice } from './heatmapCells';

function statusText(status: LiveStatus): string {
  switch (status.state) {
    case 'connecting': return status.attempt > 1 ? `Reconnecting (attempt ${status.attempt})…` : 'Connecting…';
    case 'open': return 'Live';
    case 'waiting': return `Stream lost (${status.reason}); retrying in ${Math.ceil(status.retryInMs / 1000)} s`;
    case 'refused': return `Stream refused: ${status.reason}`;
  }
}

interface LiveWindows {
  current: LiveWindow;
  /** The last frame of the window before the current one: complete, and shown while the new one is still empty. */
  previous: LiveWindow | null;
}

function useLiveWindows(model: string): [LiveWindows | null, LiveStatus] {
  const [windows, setWindows] = useState<LiveWindows | null>(null);
  const [status, setStatus] = useState<LiveStatus>({ state: 'connecting', attempt: 1 });
  const latest = useRef<LiveWindows | null>(null);
  useEffect(() => {
    let frame = 0;
    const close = openLiveStream(model, {
      onStatus: setStatus,
      onWindow: (next) => {
        const before = latest.current;
        // only the newest frame (and the previous window's last) is kept: nothing grows while the tab is hidden
        latest.current = {
          current: next,
          previous: before === null ? null : before.current.windowStart === next.windowStart ? before.previous : before.current,
        };
        if (frame === 0 && !document.hidden) {
          frame = requestAnimationFrame(() => { frame = 0; setWindows(latest.current); });
        }
      },
    });
    return () => { close(); cancelAnimationFrame(frame); };
  }, [model]);
  return [windows, status];
}

const hasTokens = (window: LiveWindow): boolean => window.layers.some((layer) => layer.tokens > 0);

export function LiveHeatmap({ model }: { model: string }) {
  const [choice, setChoice] = useState<Choice>('first');
  const [windows, status] = useLiveWindows(model);
  const showPrevious = windows !== null && !hasTokens(windows.current) && windows.previous !== null && hasTokens(windows.previous);
  const window = windows === null ? null : showPrevious ? windows.previous : windows.current;
  const map = window === null ? null : heatmapOf(window, choice);
  const tokens = map === null ? 0 : Math.max(0, ...map.tokensPerLayer);

  return (
    <section aria-labelledby="heatmap-title">
      <h2 id="heatmap-title">Expert load, live</h2>
      <div class="toolbar">
        <fieldset>
          <legend>Count</legend>
          {(['first', 'any'] as const).map((value) => (
            <label key={value}>
              <input type="radio" name="choice" value={value} checked={choice === value}
                onChange={() => { setChoice(value); }} />
              {value === 'first' ? 'First choice' : 'Any of the top-k'}
            </label>
          ))}
        </fieldset>
        <span class="live-status" role="status" data-state={status.state}>{statusText(status)}</span>
      </div>
      {window === null && <p class="status">Waiting for the first frame…</p>}
      {window !== null && map !== null && (
        <>
          <p class="caption">
            {showPrevious ? 'Previous window' : 'Window'} from {formatLocalTime(window.windowStart)}
            {showPrevious ? ' (the current one has no tokens yet)' : ''} (source /api/stats/live):{' '}
            <span data-testid="window-tokens">{formatInteger(tokens)}</span> tokens.
            Fair share 1/N = {map.experts === 0 ? '–' : formatPercent(map.fairShare)}.
          </p>
          {map.rows.length === 0
            ? <p class="status empty">No tokens routed in this window yet. Send a completion to see load.</p>
            : (
              <table class="heatmap" data-testid="heatmap">
                <caption class="sr-only">Share of each layer's {choice === 'first' ? 'first-choice' : 'top-k'} assignments per expert</caption>
                <thead>
                  <tr><th scope="col">Layer</th>{map.rows[0]?.map((cell) => <th scope="col" key={cell.expert}>E{cell.expert}</th>)}</tr>
                </thead>
                <tbody>
                  {map.rows.map((row, index) => (
                    <tr key={row[0]?.layer ?? index}>
                      <th scope="row">L{row[0]?.layer}</th>
                      {row.map((cell) => {
                        const background = map.tokensPerLayer[index] === 0 ? '#eeeeee' : interpolateRdBu(divergingPosition(cell.ratioToFair));
                        return (
                          <td key={cell.expert} style={{ background, color: textColourOn(background) }}
                            title={`Layer ${cell.layer}, expert ${cell.expert}: ${formatInteger(cell.count)} assignments, ${formatPercent(cell.share)} (${cell.ratioToFair.toFixed(2)}× fair share)`}>
                            {formatPercent(cell.share)}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          <p class="legend">
            <span class="swatch" style={{ background: interpolateRdBu(1) }} /> idle ·{' '}
            <span class="swatch" style={{ background: interpolateRdBu(0.5) }} /> fair share ·{' '}
            <span class="swatch" style={{ background: interpolateRdBu(0) }} /> 4× fair share or more
          </p>
        </>
      )}
    </section>
  );
}
