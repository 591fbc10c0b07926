/**
 * The results table: the seed report's columns (noise, layers, code size, learning rate, epochs, batch size,
 * train/val/test MSE) plus PSNR, SSIM, readability and time. The one definition behind the page's table, the
 * exports of the dashboard and of a report, and a sweep's results files. Pure: no DOM, no file system.
 */
import type { RunRow } from '../../protocol/webviewMessages';
import { formatDuration, formatSetting } from '../format';

/** A run as the table reads it; a sweep's row for a run that never made a folder has a status like "badInput". */
export type ResultRow = Omit<RunRow, 'status'> & { readonly status: string };

export interface ResultColumn {
  readonly key: string;
  readonly title: string;
  /** What the column sorts on (numbers numerically); undefined when the run has no value. */
  readonly value: (row: ResultRow) => string | number | undefined;
  /** The cell as shown and exported; '' when the run has no value. */
  readonly text: (row: ResultRow) => string;
  readonly numeric: boolean;
  /**
   * The column in a CSV file, when its text is not a plain value a spreadsheet reads as a number ("2/2",
   * "9s"): one or more columns of bare numbers instead.
   */
  readonly csv?: readonly { readonly title: string; readonly text: (row: ResultRow) => string }[];
}

const known = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x);

function textColumn(key: string, title: string, value: (r: ResultRow) => string | undefined): ResultColumn {
  return { key, title, value, text: (r) => value(r) ?? '', numeric: false };
}

function numberColumn(
  key: string,
  title: string,
  value: (r: ResultRow) => number | undefined,
  format: (x: number) => string,
): ResultColumn {
  return {
    key,
    title,
    value,
    text: (r) => {
      const x = value(r);
      return known(x) ? format(x) : '';
    },
    numeric: true,
  };
}

const mse = (x: number) => x.toPrecision(3);
const fixed = (digits: number) => (x: number) => x.toFixed(digits);

export const RESULT_COLUMNS: readonly ResultColumn[] = [
  textColumn('name', 'Run', (r) => r.label ?? r.title ?? r.name),
  textColumn('status', 'Status', (r) => r.status),
  textColumn('model', 'Model', (r) => r.model),
  textColumn('noise', 'Noise', (r) => r.noise),
  numberColumn('layers', 'Layers', (r) => r.layers, String),
  numberColumn('codeSize', 'Code size', (r) => r.codeSize, String),
  textColumn('optimizer', 'Optimizer', (r) => r.optimizer),
  numberColumn('learningRate', 'Learning rate', (r) => r.learningRate, formatSetting),
  {
    key: 'epochs',
    title: 'Epochs',
    value: (r) => r.epochsCompleted ?? r.epochs,
    // "12/30": epochs trained out of those configured, as a stopped or early-stopped run has fewer.
    text: (r) =>
      r.epochsCompleted !== undefined && r.epochs !== undefined
        ? `${r.epochsCompleted}/${r.epochs}`
        : known(r.epochs)
          ? String(r.epochs)
          : '',
    numeric: true,
    csv: [
      { title: 'Epochs trained', text: (r) => (known(r.epochsCompleted) ? String(r.epochsCompleted) : '') },
      { title: 'Epochs configured', text: (r) => (known(r.epochs) ? String(r.epochs) : '') },
    ],
  },
  numberColumn('batchSize', 'Batch size', (r) => r.batchSize, String),
  numberColumn('trainMse', 'Train MSE', (r) => r.train?.mse, mse),
  numberColumn('valMse', 'Val MSE', (r) => r.val?.mse, mse),
  numberColumn('testMse', 'Test MSE', (r) => r.test?.mse, mse),
  numberColumn('testPsnr', 'Test PSNR (dB)', (r) => r.test?.psnr, fixed(2)),
  numberColumn('testSsim', 'Test SSIM', (r) => r.test?.ssim, fixed(4)),
  numberColumn(
    'readability',
    'Readability',
    (r) => r.readability,
    (x) => `${(x * 100).toFixed(1)}%`,
  ),
  {
    ...numberColumn('time', 'Time', (r) => r.durationSeconds, formatDuration),
    csv: [{ title: 'Time (s)', text: (r) => (known(r.durationSeconds) ? r.durationSeconds.toFixed(1) : '') }],
  },
  textColumn('folder', 'Folder', (r) => r.runDir),
  textColumn('tags', 'Tags', (r) => (r.tags?.length ? r.tags.join(' ') : undefined)),
  textColumn('note', 'Note', (r) => r.note),
];

export interface SortOrder {
  readonly key: string;
  readonly descending: boolean;
}

const missing = (v: string | number | undefined) => v === undefined || (typeof v === 'number' && Number.isNaN(v));

/** Sorted copy of the rows; absent values go last whichever the direction, ties keep their order. */
export function sortRows<Row extends ResultRow>(rows: readonly Row[], order: SortOrder): Row[] {
  const column = RESULT_COLUMNS.find((c) => c.key === order.key);
  if (!column) return [...rows];
  const sign = order.descending ? -1 : 1;
  return rows
    .map((row, index) => ({ row, index, value: column.value(row) }))
    .sort((a, b) => {
      const aMissing = missing(a.value);
      const bMissing = missing(b.value);
      if (aMissing || bMissing) return aMissing === bMissing ? a.index - b.index : aMissing ? 1 : -1;
      const c =
        typeof a.value === 'number' && typeof b.value === 'number'
          ? a.value - b.value
          : String(a.value).localeCompare(String(b.value));
      return c === 0 ? a.index - b.index : sign * c;
    })
    .map((x) => x.row);
}

/** Clicking a header: the same column flips direction, another column sorts ascending (errors: lowest first). */
export function nextSortOrder(current: SortOrder | undefined, key: string): SortOrder {
  return current?.key === key ? { key, descending: !current.descending } : { key, descending: false };
}
