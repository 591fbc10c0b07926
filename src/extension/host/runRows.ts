import { readRunConfig, type RunListing } from '../../core/runs/listRuns';
import type { SplitResult } from '../../core/runs/runSummary';
import type { RunRow, SplitFigures } from '../../protocol/webviewMessages';

function figures(split: SplitResult | undefined): SplitFigures | undefined {
  return split && { mse: split.denoised.mse, psnr: split.denoised.psnr, ssim: split.denoised.ssim };
}

/** A run folder as one row of the run list and the results table: noise, hyper-parameters, final figures. */
export function runRow(listing: RunListing): RunRow {
  const { summary } = listing;
  const config = readRunConfig(listing.runDir);
  return {
    runDir: listing.runDir,
    name: listing.name,
    status: listing.status,
    startedAt: listing.startedAt,
    durationSeconds: summary?.durationSeconds,
    noise: summary?.noise,
    model: summary?.model,
    optimizer: config?.training.optimizer,
    learningRate: config?.training.learningRate,
    batchSize: config?.training.batchSize,
    epochs: config?.training.epochs ?? listing.epochs,
    epochsCompleted: summary?.epochsCompleted ?? listing.epoch,
    train: figures(summary?.metrics?.train),
    val: figures(summary?.metrics?.val),
    test: figures(summary?.metrics?.test),
  };
}
