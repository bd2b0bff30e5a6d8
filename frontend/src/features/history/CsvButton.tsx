/** Exports the rows a view shows as a CSV file. */
import { downloadCsv, toCsv, type Cell } from './csv';

export function CsvButton({ fileName, header, rows, label }: { fileName: string; header: string[]; rows: Cell[][]; label: string }) {
  return <button type="button" onClick={() => { downloadCsv(fileName, toCsv(header, rows)); }}>{label}</button>;
}
