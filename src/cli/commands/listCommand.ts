import { resolve } from 'node:path';
import { listRuns } from '../../core/runs/listRuns';
import { EXIT } from '../../app/exitCodes';
import { formatDuration, formatLoss, formatTable } from '../../app/format';
import { toJsonLine } from './jsonOutput';

/** `denoise list`: the runs in a runs folder with their key metrics, newest first. */
export function listCommand(options: { runsDir: string; json: boolean }): number {
  const runs = listRuns(resolve(options.runsDir));
  if (options.json) {
    process.stdout.write(toJsonLine(runs));
    return EXIT.ok;
  }
  if (runs.length === 0) {
    process.stdout.write(`No runs in ${resolve(options.runsDir)}.\n`);
    return EXIT.ok;
  }
  const named = runs.some((r) => r.notes.title || r.notes.tags?.length);
  const rows = runs.map((r) => {
    const test = r.summary?.metrics?.test;
    // The user's name and tags (notes.json), when any run has them.
    const name = [r.notes.title ?? r.name, ...(r.notes.tags ?? []).map((t) => `#${t}`)].join(' ');
    return [
      r.folder,
      ...(named ? [name] : []),
      (r.status === 'running' && r.epoch !== undefined ? `running ${r.epoch}/${r.epochs}` : r.status) +
        (r.problems ? ' (damaged)' : ''),
      formatLoss(test?.denoised.mse),
      test ? `${test.denoised.psnr.toFixed(2)}` : '-',
      test ? test.denoised.ssim.toFixed(3) : '-',
      test ? `${test.noisyInput.psnr.toFixed(2)}` : '-',
      r.summary ? formatDuration(r.summary.durationSeconds) : '-',
    ];
  });
  const headers = ['run', ...(named ? ['name'] : []), 'status', 'test MSE', 'PSNR dB', 'SSIM', 'noisy PSNR', 'time'];
  process.stdout.write(`${formatTable(headers, rows)}\n`);
  // Damaged files are listed under the table, each with its folder, so the table stays readable.
  const problems = runs.flatMap((r) => (r.problems ?? []).map((p) => `  ${r.folder}/${p}`));
  if (problems.length)
    process.stdout.write(`\nDamaged run files (what they held is left out above):\n${problems.join('\n')}\n`);
  return EXIT.ok;
}
