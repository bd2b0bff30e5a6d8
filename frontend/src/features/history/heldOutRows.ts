/** The rows of the held-out loss table: one per domain in the report's order, then every domain together. */
import type { ModelEvaluationView } from '../../api/types';

export interface HeldOutRow {
  domain: string;
  windows: number;
  tokens: number;
  natsPerToken: number;
  /** Null for the all-domains row: bits per byte needs each domain's own bytes, which the report does not carry. */
  bitsPerByte: number | null;
  /** Perplexity, e^(nats/token). */
  perplexity: number;
}

export function heldOutRows(view: ModelEvaluationView): HeldOutRow[] {
  const domains = view.report.heldOut.domains.map((d) => ({
    domain: d.domain, windows: d.windows, tokens: d.tokens, natsPerToken: d.natsPerToken, bitsPerByte: d.bitsPerByte,
    perplexity: Math.exp(d.natsPerToken),
  }));
  const all = view.report.heldOut;
  return [...domains, {
    domain: 'all domains', windows: domains.reduce((sum, d) => sum + d.windows, 0),
    tokens: domains.reduce((sum, d) => sum + d.tokens, 0), natsPerToken: all.natsPerToken, bitsPerByte: null,
    perplexity: Math.exp(all.natsPerToken),
  }];
}

/** Where the numbers come from, for the table's caption: the file, the recipe, the windows and when. */
export function heldOutSource(view: ModelEvaluationView, formatTime: (iso: string) => string): string {
  const report = view.report;
  const when = report.measuredAt === null ? 'time not recorded' : `measured ${formatTime(report.measuredAt)}`;
  return `${view.source} of ${view.model}: eval on the held-out split of ${report.recipe}, `
    + `${report.windowsPerDomain} windows of ${report.window} tokens per domain, ${when}`;
}
