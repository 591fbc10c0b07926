import type { QualityMetrics } from '../../core/training/events';
import type { RunSummary } from '../../core/runs/runSummary';
import { formatDuration, formatLoss, formatTable } from '../../app/format';

const row = (label: string, m: QualityMetrics | undefined) =>
  m ? [label, formatLoss(m.mse), `${m.psnr.toFixed(2)} dB`, m.ssim.toFixed(4), String(m.count)] : [label, '-', '-', '-', '-'];

/** The end-of-run report: how it ended, the metrics table against the noisy baseline, and where files are. */
export function printSummary(summary: RunSummary): void {
  const out: string[] = ['', `${summary.status.toUpperCase()}: ${summary.message}`];
  if (summary.metrics) {
    const { train, val, test } = summary.metrics;
    const rows = [
      row('train denoised', train.denoised),
      row('val denoised', val.denoised),
      row('test denoised', test.denoised),
      row('test noisy input', test.noisyInput),
    ];
    if (test.cleanReconstruction) rows.push(row('test clean input', test.cleanReconstruction));
    out.push('', formatTable(['split', 'MSE', 'PSNR', 'SSIM', 'images'], rows));
  }
  if (summary.comparison && summary.comparison.length > 2) {
    const percent = (v: number | undefined) => (v === undefined ? '-' : `${(100 * v).toFixed(1)}%`);
    const rows = summary.comparison.map((c) => [c.label, formatLoss(c.mse), `${c.psnr.toFixed(2)} dB`, c.ssim.toFixed(4), percent(c.readability)]);
    out.push('', 'Same noisy test images, cleaned each way:', formatTable(['method', 'MSE', 'PSNR', 'SSIM', 'readability'], rows));
  }
  if (summary.readability) {
    const r = summary.readability;
    out.push(
      '',
      `Readability (digit classifier on test digits): clean ${(100 * r.clean).toFixed(1)}%, noisy ${(100 * r.noisyInput).toFixed(1)}%, denoised ${(100 * r.denoised).toFixed(1)}%.`,
    );
  }
  out.push(
    '',
    `Time ${formatDuration(summary.durationSeconds)}, ${Math.round(summary.samplesPerSecond)} samples/s on ${summary.engine.name}.`,
    `Results: ${summary.runDir}`,
    '  summary.json, metrics.jsonl, samples.png (clean | noisy | denoised), generation.png, model/',
  );
  process.stdout.write(`${out.join('\n')}\n`);
}
