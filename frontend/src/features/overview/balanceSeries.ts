/**
 * Shapes /api/stats/balance rows into uPlot's aligned columns: one x per bucket, one series per layer,
 * and the value each gauge takes under perfectly uniform routing as a reference series.
 */
import type uPlot from 'uplot';
import type { BalanceGauges } from '../../api/types';

export type GaugeName =
  | 'cvLoad' | 'maxMeanLoad' | 'maxVio' | 'jainIndex' | 'loadDiversity'
  | 'routerPerplexityRatio' | 'auxLoss' | 'zLoss' | 'dropRate';

export interface GaugeInfo {
  label: string;
  /** The gauge's value under uniform routing (the "fair share line"); null where none exists. */
  uniform: number | null;
}

export const GAUGES: Record<GaugeName, GaugeInfo> = {
  cvLoad: { label: 'CV of load (std/mean)', uniform: 0 },
  maxMeanLoad: { label: 'Max/mean load', uniform: 1 },
  maxVio: { label: 'MaxVio', uniform: 0 },
  jainIndex: { label: "Jain's fairness index", uniform: 1 },
  loadDiversity: { label: 'exp(entropy)/N of the load', uniform: 1 },
  routerPerplexityRatio: { label: 'Router perplexity / N', uniform: 1 },
  auxLoss: { label: 'Switch aux loss N·Σ f·P', uniform: 1 },
  zLoss: { label: 'Router z-loss', uniform: null },
  dropRate: { label: 'Drop rate', uniform: 0 },
};

export interface BalanceColumns {
  layers: number[];
  data: uPlot.AlignedData;
}

export function balanceColumns(rows: BalanceGauges[], gauge: GaugeName): BalanceColumns {
  const times = [...new Set(rows.map((row) => Date.parse(row.bucketStart) / 1000))].sort((a, b) => a - b);
  const layers = [...new Set(rows.map((row) => row.layer))].sort((a, b) => a - b);
  const index = new Map(times.map((time, i) => [time, i]));
  const series = layers.map(() => times.map((): number | null => null));
  for (const row of rows) {
    const column = series[layers.indexOf(row.layer)];
    const at = index.get(Date.parse(row.bucketStart) / 1000);
    if (column !== undefined && at !== undefined) {
      column[at] = row[gauge];
    }
  }
  const uniform = GAUGES[gauge].uniform;
  const reference = times.map(() => uniform);
  return { layers, data: [times, ...series, reference] };
}
