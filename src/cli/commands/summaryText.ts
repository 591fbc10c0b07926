import type { QualityMetrics } from '../../core/training/events';
import type { RunSummary } from '../../core/runs/runSummary';
import type { PerImageSummaryFields } from '../../core/metrics/realImageEvaluation';
import { formatDuration, formatLoss, formatTable } from '../../app/format';

const row = (label: string, m: QualityMetrics | undefined) =>
  m
    ? [label, formatLoss(m.mse), `${m.psnr.toFixed(2)} dB`, m.ssim.toFixed(4), String(m.count)]
    : [label, '-', '-', '-', '-'];

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
    const rows = summary.comparison.map((c) => [
      c.label,
      formatLoss(c.mse),
      `${c.psnr.toFixed(2)} dB`,
      c.ssim.toFixed(4),
      percent(c.readability),
    ]);
    out.push(
      '',
      'Same noisy test images, cleaned each way:',
      formatTable(['method', 'MSE', 'PSNR', 'SSIM', 'readability'], rows),
    );
  }
  const perImage = summary as RunSummary & PerImageSummaryFields;
  if (perImage.testImages && perImage.testImages.length > 0) out.push('', ...perImageTable(perImage));
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

/** Image folders: each test image's PSNR and SSIM, noisy and denoised, then the protocol that made them. */
function perImageTable(summary: RunSummary & PerImageSummaryFields): string[] {
  const images = summary.testImages ?? [];
  const baselines = Object.keys(images[0]?.baselines ?? {});
  const shown = images.length > 40 ? images.slice(0, 40) : images;
  const rows = shown.map((r) => [
    r.name,
    `${r.width}x${r.height}`,
    r.noisyInput.psnr.toFixed(2),
    r.model.psnr.toFixed(2),
    r.model.ssim.toFixed(4),
    ...baselines.map((b) => r.baselines[b].psnr.toFixed(2)),
  ]);
  const lines = [
    'Per test image (PSNR in dB):',
    formatTable(['image', 'size', 'noisy', 'model', 'model SSIM', ...baselines], rows),
  ];
  if (shown.length < images.length) lines.push(`(first ${shown.length} of ${images.length}; all in summary.json)`);
  const p = summary.testProtocol;
  if (p) {
    const sigma = p.sigma255 === undefined ? '' : `σ ${Number(p.sigma255.toFixed(2))}/255, `;
    lines.push(
      `Protocol: ${p.noise}; ${sigma}noise seed ${p.noiseSeed}, noisy input ${p.noisyInputClipped ? '' : 'not '}clipped ` +
        `and ${p.noisyInputQuantized ? '' : 'not '}quantized; ${p.images} images, ${p.channels === 3 ? 'RGB' : 'gray'}.`,
      `PSNR ${p.psnr}.`,
    );
  }
  return lines;
}
