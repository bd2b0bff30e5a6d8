/** The utilisation chart's bucket sizes, and which of them each range offers. */
const BUCKETS = [
  { label: '10s', seconds: 10 },
  { label: '1m', seconds: 60 },
  { label: '5m', seconds: 300 },
  { label: '15m', seconds: 900 },
  { label: '1h', seconds: 3600 },
] as const;
export type Bucket = (typeof BUCKETS)[number]['label'];
/**
 * A chart a few hundred points wide says all a screen can show; finer buckets only make the answer (rows per bucket,
 * layer, expert and domain) and its read grow, so each range offers the buckets that give 2 to 720 points.
 */
const MAX_POINTS = 720;
export function bucketsFor(minutes: number): Bucket[] {
  return BUCKETS.filter((b) => (minutes * 60) / b.seconds >= 2 && (minutes * 60) / b.seconds <= MAX_POINTS).map((b) => b.label);
}
