/**
 * The comparison table's columns, shaped like the seed report's table (noise, layers/model, learning
 * rate, epochs, batch size, train/val/test MSE) plus test PSNR, SSIM and time; its sorting, and its
 * CSV and Markdown exports. Pure functions: the view draws them, tests check them in Node.
 */
import type { RunRow } from '../../src/protocol/webviewMessages';
import { formatDuration, formatLoss, formatSetting } from '../format';

export interface Column {
  readonly key: string;
  readonly label: string;
  /** The value sorted on (numbers sort numerically, absent values last). */
  readonly value: (row: RunRow) => string | number | undefined;
  /** The text shown in the table and written to the exports. */
  readonly text: (row: RunRow) => string;
  readonly numeric: boolean;
}

const num = (key: string, label: string, value: (r: RunRow) => number | undefined, text: (v: number | undefined) => string): Column => ({
  key,
  label,
  value,
  text: (r) => text(value(r)),
  numeric: true,
});
const str = (key: string, label: string, value: (r: RunRow) => string | undefined): Column => ({ key, label, value, text: (r) => value(r) ?? '–', numeric: false });
const fixed = (digits: number) => (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

export const COLUMNS: readonly Column[] = [
  str('name', 'Run', (r) => r.name),
  str('status', 'Status', (r) => r.status),
  str('noise', 'Noise', (r) => r.noise),
  str('model', 'Layers / model', (r) => r.model),
  num('learningRate', 'Learning rate', (r) => r.learningRate, formatSetting),
  num('epochs', 'Epochs', (r) => r.epochsCompleted ?? r.epochs, formatSetting),
  num('batchSize', 'Batch size', (r) => r.batchSize, formatSetting),
  num('trainMse', 'Train MSE', (r) => r.train?.mse, formatLoss),
  num('valMse', 'Val MSE', (r) => r.val?.mse, formatLoss),
  num('testMse', 'Test MSE', (r) => r.test?.mse, formatLoss),
  num('testPsnr', 'Test PSNR (dB)', (r) => r.test?.psnr, fixed(2)),
  num('testSsim', 'Test SSIM', (r) => r.test?.ssim, fixed(3)),
  num('time', 'Time', (r) => r.durationSeconds, formatDuration),
];

export interface SortOrder {
  readonly key: string;
  readonly descending: boolean;
}

/** Sorted copy of the rows; absent values go last whichever the direction, ties keep their order. */
export function sortRows(rows: readonly RunRow[], order: SortOrder): RunRow[] {
  const column = COLUMNS.find((c) => c.key === order.key);
  if (!column) return [...rows];
  const sign = order.descending ? -1 : 1;
  return rows
    .map((row, index) => ({ row, index, value: column.value(row) }))
    .sort((a, b) => {
      const aMissing = a.value === undefined || (typeof a.value === 'number' && Number.isNaN(a.value));
      const bMissing = b.value === undefined || (typeof b.value === 'number' && Number.isNaN(b.value));
      if (aMissing || bMissing) return aMissing === bMissing ? a.index - b.index : aMissing ? 1 : -1;
      const c = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : String(a.value).localeCompare(String(b.value));
      return c === 0 ? a.index - b.index : sign * c;
    })
    .map((x) => x.row);
}

/** Clicking a header: the same column flips direction, another column sorts ascending (errors: lowest first). */
export function nextSortOrder(current: SortOrder | undefined, key: string): SortOrder {
  return current?.key === key ? { key, descending: !current.descending } : { key, descending: false };
}

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV, full-precision numbers (a spreadsheet formats them), empty cells for absent values. */
export function toCsv(rows: readonly RunRow[]): string {
  const lines = [COLUMNS.map((c) => csvField(c.label)).join(',')];
  for (const row of rows) {
    lines.push(COLUMNS.map((c) => {
      const v = c.value(row);
      return v === undefined ? '' : csvField(String(v));
    }).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

const markdownCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The table as GitHub Markdown, with the same text as on screen; numeric columns right-aligned. */
export function toMarkdown(rows: readonly RunRow[]): string {
  const header = `| ${COLUMNS.map((c) => markdownCell(c.label)).join(' | ')} |`;
  const rule = `| ${COLUMNS.map((c) => (c.numeric ? '---:' : '---')).join(' | ')} |`;
  const body = rows.map((row) => `| ${COLUMNS.map((c) => markdownCell(c.text(row))).join(' | ')} |`);
  return `${[header, rule, ...body].join('\n')}\n`;
}
