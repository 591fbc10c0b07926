import { formatDuration } from '../../cli/format';
import type { RunRow } from '../../protocol/webviewMessages';

/** The seed report's results table (noise, hyper-parameters, train/val/test MSE) plus PSNR, SSIM and time. */
const COLUMNS: readonly { readonly title: string; readonly cell: (row: RunRow) => string }[] = [
  { title: 'Run', cell: (r) => r.name },
  { title: 'Status', cell: (r) => r.status },
  { title: 'Model', cell: (r) => r.model ?? '' },
  { title: 'Noise', cell: (r) => r.noise ?? '' },
  { title: 'Optimizer', cell: (r) => r.optimizer ?? '' },
  { title: 'Learning rate', cell: (r) => num(r.learningRate) },
  { title: 'Epochs', cell: (r) => (r.epochsCompleted !== undefined && r.epochs !== undefined ? `${r.epochsCompleted}/${r.epochs}` : num(r.epochs)) },
  { title: 'Batch size', cell: (r) => num(r.batchSize) },
  { title: 'Train MSE', cell: (r) => mse(r.train?.mse) },
  { title: 'Val MSE', cell: (r) => mse(r.val?.mse) },
  { title: 'Test MSE', cell: (r) => mse(r.test?.mse) },
  { title: 'Test PSNR (dB)', cell: (r) => fixed(r.test?.psnr, 2) },
  { title: 'Test SSIM', cell: (r) => fixed(r.test?.ssim, 4) },
  { title: 'Time', cell: (r) => (r.durationSeconds === undefined ? '' : formatDuration(r.durationSeconds)) },
  { title: 'Folder', cell: (r) => r.runDir },
];

const num = (x: number | undefined) => (x === undefined ? '' : String(x));
const mse = (x: number | undefined) => (x === undefined ? '' : x.toPrecision(3));
const fixed = (x: number | undefined, digits: number) => (x === undefined ? '' : x.toFixed(digits));

function csvCell(text: string): string {
  // Quote when needed; a leading = + - @ would make a spreadsheet run the cell as a formula.
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function resultsCsv(rows: readonly RunRow[]): string {
  const lines = [COLUMNS.map((c) => csvCell(c.title)), ...rows.map((r) => COLUMNS.map((c) => csvCell(c.cell(r))))];
  return `${lines.map((cells) => cells.join(',')).join('\n')}\n`;
}

export function resultsMarkdown(rows: readonly RunRow[]): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const line = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(COLUMNS.map((c) => c.title)), line(COLUMNS.map(() => '---')), ...rows.map((r) => line(COLUMNS.map((c) => c.cell(r))))].join('\n') + '\n';
}
