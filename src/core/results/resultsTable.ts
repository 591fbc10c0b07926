import { formatDuration } from '../../cli/format';
import type { ExperimentConfig } from '../config/experimentConfig.generated';
import { readRunConfig, type RunListing } from '../runs/listRuns';
import type { RunSummary, SplitResult } from '../runs/runSummary';

/** Final figures of one split, for the denoised output. */
export interface SplitFigures {
  readonly mse: number;
  readonly psnr: number;
  readonly ssim: number;
}

/** One row of the results table: a run's noise, hyper-parameters and final figures. */
export interface ResultRow {
  readonly runDir: string;
  /** The run's name, or in a sweep what the run changes ("seed-table1 codeSize=100 lr=0.5"). */
  readonly name: string;
  /** completed, failed... or, for a sweep run that never started a run folder, why (e.g. "badInput"). */
  readonly status: string;
  readonly durationSeconds?: number;
  readonly noise?: string;
  readonly model?: string;
  /** Dense models: the number of layers counting input and output, as in the seed report's tables. */
  readonly layers?: number;
  readonly codeSize?: number;
  readonly optimizer?: string;
  readonly learningRate?: number;
  readonly batchSize?: number;
  readonly epochs?: number;
  readonly epochsCompleted?: number;
  readonly train?: SplitFigures;
  readonly val?: SplitFigures;
  readonly test?: SplitFigures;
  /** Share (0 to 1) of denoised test digits a clean-trained classifier reads correctly, when the run measured it. */
  readonly readability?: number;
}

function figures(split: SplitResult | undefined): SplitFigures | undefined {
  return split && { mse: split.denoised.mse, psnr: split.denoised.psnr, ssim: split.denoised.ssim };
}

const isShare = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 1;

/**
 * The denoised test images' readability from summary.json, when the run measured it. The classifier that
 * measures it is written separately, so the likely places for it are all looked at: a figure in the test
 * split's denoised metrics, or a readability section with a denoised entry.
 */
export function readabilityOf(summary: RunSummary | undefined): number | undefined {
  const loose = summary as unknown as Record<string, any> | undefined;
  const candidates = [
    loose?.metrics?.test?.denoised?.readability,
    loose?.metrics?.test?.denoised?.accuracy,
    loose?.metrics?.test?.readability?.denoised,
    loose?.readability?.test?.denoised,
    loose?.readability?.denoised,
  ];
  return candidates.find(isShare);
}

function denseShape(config: ExperimentConfig | undefined): { layers?: number; codeSize?: number } {
  const model = config?.model as { type?: string; depth?: number; codeSize?: number; hiddenSizes?: number[] } | undefined;
  if (model?.type !== 'dense') return {};
  if (model.hiddenSizes?.length) return { layers: model.hiddenSizes.length + 2, codeSize: Math.min(...model.hiddenSizes) };
  return { layers: model.depth, codeSize: model.codeSize };
}

/** The hyper-parameter columns of a config: what a row shows even for a run that never started. */
export function configColumns(config: ExperimentConfig | undefined): Pick<ResultRow, 'layers' | 'codeSize' | 'optimizer' | 'learningRate' | 'batchSize' | 'epochs'> {
  return {
    ...denseShape(config),
    optimizer: config?.training.optimizer,
    learningRate: config?.training.learningRate,
    batchSize: config?.training.batchSize,
    epochs: config?.training.epochs,
  };
}

/** A run folder as a results row; `name` replaces the run's own name (a sweep's label for the run). */
export function resultRow(listing: RunListing, name?: string): ResultRow {
  const { summary } = listing;
  const config = readRunConfig(listing.runDir);
  return {
    runDir: listing.runDir,
    name: name ?? listing.name,
    status: listing.status,
    durationSeconds: summary?.durationSeconds,
    noise: summary?.noise,
    model: summary?.model,
    ...configColumns(config),
    epochs: config?.training.epochs ?? listing.epochs,
    epochsCompleted: summary?.epochsCompleted ?? listing.epoch,
    train: figures(summary?.metrics?.train),
    val: figures(summary?.metrics?.val),
    test: figures(summary?.metrics?.test),
    readability: readabilityOf(summary),
  };
}

/** The seed report's results table (noise, layers, code size, learning rate, epochs, batch size, train/val/test MSE) plus PSNR, SSIM, readability and time. */
const COLUMNS: readonly { readonly title: string; readonly cell: (row: ResultRow) => string }[] = [
  { title: 'Run', cell: (r) => r.name },
  { title: 'Status', cell: (r) => r.status },
  { title: 'Model', cell: (r) => r.model ?? '' },
  { title: 'Noise', cell: (r) => r.noise ?? '' },
  { title: 'Layers', cell: (r) => num(r.layers) },
  { title: 'Code size', cell: (r) => num(r.codeSize) },
  { title: 'Optimizer', cell: (r) => r.optimizer ?? '' },
  { title: 'Learning rate', cell: (r) => num(r.learningRate) },
  { title: 'Epochs', cell: (r) => (r.epochsCompleted !== undefined && r.epochs !== undefined ? `${r.epochsCompleted}/${r.epochs}` : num(r.epochs)) },
  { title: 'Batch size', cell: (r) => num(r.batchSize) },
  { title: 'Train MSE', cell: (r) => mse(r.train?.mse) },
  { title: 'Val MSE', cell: (r) => mse(r.val?.mse) },
  { title: 'Test MSE', cell: (r) => mse(r.test?.mse) },
  { title: 'Test PSNR (dB)', cell: (r) => fixed(r.test?.psnr, 2) },
  { title: 'Test SSIM', cell: (r) => fixed(r.test?.ssim, 4) },
  { title: 'Readability', cell: (r) => (r.readability === undefined ? '' : `${(r.readability * 100).toFixed(1)}%`) },
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

export function resultsCsv(rows: readonly ResultRow[]): string {
  const lines = [COLUMNS.map((c) => csvCell(c.title)), ...rows.map((r) => COLUMNS.map((c) => csvCell(c.cell(r))))];
  return `${lines.map((cells) => cells.join(',')).join('\n')}\n`;
}

export function resultsMarkdown(rows: readonly ResultRow[]): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const line = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(COLUMNS.map((c) => c.title)), line(COLUMNS.map(() => '---')), ...rows.map((r) => line(COLUMNS.map((c) => c.cell(r))))].join('\n') + '\n';
}
