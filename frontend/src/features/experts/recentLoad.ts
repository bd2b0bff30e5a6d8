/** Shapes /api/stats/utilisation rows into one sparkline per layer and expert (share of the layer per minute). */
import type uPlot from 'uplot';
import type { ExpertUsage } from '../../api/types';

export type Sparklines = Map<string, uPlot.AlignedData>;

export const sparklineKey = (layer: number, expert: number): string => `${layer}/${expert}`;

export function sparklinesOf(rows: ExpertUsage[]): Sparklines {
  const times = [...new Set(rows.map((row) => Date.parse(row.bucketStart) / 1000))].sort((a, b) => a - b);
  const at = new Map(times.map((time, i) => [time, i]));
  const shares = new Map<string, number[]>();
  for (const row of rows) {
    const key = sparklineKey(row.layer, row.expert);
    const column = shares.get(key) ?? times.map(() => 0);
    const index = at.get(Date.parse(row.bucketStart) / 1000);
    if (index !== undefined) {
      // rows come per domain: an expert's share of the layer is summed over domains' assignments below
      column[index] = (column[index] ?? 0) + row.anyChoice;
    }
    shares.set(key, column);
  }
  // turn counts into shares of their layer per bucket
  const layerTotals = new Map<number, number[]>();
  for (const [key, column] of shares) {
    const layer = Number(key.split('/')[0]);
    const totals = layerTotals.get(layer) ?? times.map(() => 0);
    column.forEach((count, i) => { totals[i] = (totals[i] ?? 0) + count; });
    layerTotals.set(layer, totals);
  }
  const lines: Sparklines = new Map();
  for (const [key, column] of shares) {
    const totals = layerTotals.get(Number(key.split('/')[0])) ?? [];
    lines.set(key, [times, column.map((count, i) => ((totals[i] ?? 0) === 0 ? 0 : count / (totals[i] ?? 1)))]);
  }
  return lines;
}
