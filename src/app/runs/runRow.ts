import type { ExperimentConfig } from '../../core/config/experimentConfig.generated';
import { readRunConfig, type RunListing } from '../../core/runs/listRuns';
import type { RunSummary, SplitResult } from '../../core/runs/runSummary';
import type { RunRow, SplitFigures } from '../../protocol/webviewMessages';

/** A split's figures; none for a split summary.json holds in part (a hand edit, a writer of another version). */
function figures(split: SplitResult | undefined): SplitFigures | undefined {
  const d = split?.denoised;
  return d && typeof d.mse === 'number' ? { mse: d.mse, psnr: d.psnr, ssim: d.ssim } : undefined;
}

function noisyFigures(split: SplitResult): SplitFigures {
  return { mse: split.noisyInput.mse, psnr: split.noisyInput.psnr, ssim: split.noisyInput.ssim };
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

type DenseShape = { type?: string; depth?: number; codeSize?: number; hiddenSizes?: number[] };

function denseShape(config: ExperimentConfig | undefined): { layers?: number; codeSize?: number } {
  const model = config?.model as DenseShape | undefined;
  if (model?.type !== 'dense') return {};
  if (model.hiddenSizes?.length) {
    return { layers: model.hiddenSizes.length + 2, codeSize: Math.min(...model.hiddenSizes) };
  }
  return { layers: model.depth, codeSize: model.codeSize };
}

type ConfigColumns = Pick<RunRow, 'layers' | 'codeSize' | 'optimizer' | 'learningRate' | 'batchSize' | 'epochs'>;

/** The hyper-parameter columns of a config: what a row shows even for a run that never started. */
export function configColumns(config: ExperimentConfig | undefined): ConfigColumns {
  return {
    ...denseShape(config),
    optimizer: config?.training.optimizer,
    learningRate: config?.training.learningRate,
    batchSize: config?.training.batchSize,
    epochs: config?.training.epochs,
  };
}

/**
 * A run folder as one row of the run list and the results table (one reading of a run folder for the
 * CLI, the exports and the pages); `name` replaces the run's own name (a sweep's label for the run).
 */
export function runRow(listing: RunListing, name?: string): RunRow {
  const { summary } = listing;
  const config = readRunConfig(listing.runDir);
  return {
    runDir: listing.runDir,
    name: name ?? listing.name,
    status: listing.status,
    ...listing.notes,
    startedAt: listing.startedAt,
    durationSeconds: summary?.durationSeconds,
    noise: summary?.noise,
    model: summary?.model,
    ...configColumns(config),
    epochs: config?.training.epochs ?? listing.epochs,
    epochsCompleted: summary?.epochsCompleted ?? listing.epoch,
    train: figures(summary?.metrics?.train),
    val: figures(summary?.metrics?.val),
    test: figures(summary?.metrics?.test),
    testNoisy: summary?.metrics?.test && noisyFigures(summary.metrics.test),
    loss: config?.training.loss,
    readability: readabilityOf(summary),
    readabilityNoisy: isShare(summary?.readability?.noisyInput) ? summary.readability.noisyInput : undefined,
  };
}
