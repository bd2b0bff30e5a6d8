/** Shapes /api/stats/utilisation into one layer's chart columns (each expert's share per bucket) and table rows. */
import type uPlot from 'uplot';
import type { ExpertUsage } from '../../api/types';

export interface LayerUtilisation {
  experts: number[];
  data: uPlot.AlignedData;
  fairShare: number;
}

export function layerUtilisation(rows: ExpertUsage[], layer: number): LayerUtilisation {
  const mine = rows.filter((row) => row.layer === layer);
  const times = [...new Set(mine.map((row) => Date.parse(row.bucketStart) / 1000))].sort((a, b) => a - b);
  const experts = [...new Set(mine.map((row) => row.expert))].sort((a, b) => a - b);
  const at = new Map(times.map((time, i) => [time, i]));
  const counts = experts.map(() => times.map(() => 0));
  for (const row of mine) {
    const i = at.get(Date.parse(row.bucketStart) / 1000);
    const column = counts[experts.indexOf(row.expert)];
    if (i !== undefined && column !== undefined) column[i] = (column[i] ?? 0) + row.anyChoice; // summed over domains
  }
  const totals = times.map((_, i) => counts.reduce((sum, column) => sum + (column[i] ?? 0), 0));
  const shares = counts.map((column) => column.map((count, i) => ((totals[i] ?? 0) === 0 ? null : count / (totals[i] ?? 1))));
  const fairShare = experts.length === 0 ? 0 : 1 / (Math.max(...experts) + 1);
  return { experts, data: [times, ...shares, times.map(() => fairShare)], fairShare };
}
