/** Numbers and times as the dashboard shows them: the reader's locale and time zone, UTC on hover. */
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

export const formatInteger = (value: number): string => integer.format(value);
export const formatDecimal = (value: number): string => decimal.format(value);
export const formatPercent = (value: number): string => percent.format(value);

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${decimal.format(value)} ${units[unit] ?? 'B'}`;
}

export function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${integer.format(seconds * 1000)} ms` : `${decimal.format(seconds)} s`;
}

export const formatLocalTime = (iso: string): string => new Date(iso).toLocaleTimeString();
export const formatLocalDateTime = (iso: string): string => new Date(iso).toLocaleString();
