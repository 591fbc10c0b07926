import type { RunListing } from '../../core/runs/listRuns';
import { formatDuration } from '../../app/format';
import type { Run } from './runService';

/** How a run looks in the runs tree: a short description, a codicon name, and a tooltip. */
export interface RunLabel {
  readonly description: string;
  readonly icon: string;
  readonly tooltip: string;
}

const ICONS: Record<string, string> = {
  completed: 'pass',
  earlyStopped: 'pass',
  stopped: 'debug-stop',
  interrupted: 'debug-disconnect',
  diverged: 'warning',
  failed: 'error',
  crashed: 'error',
  badInput: 'error',
  cancelled: 'circle-slash',
  running: 'sync~spin',
  unknown: 'question',
};

/** A run of this session that is queued, training or stopping. */
export function liveRunLabel(run: Run, queuePosition: number): RunLabel {
  const p = run.progress;
  let description: string;
  if (run.phase === 'queued') description = `queued${queuePosition ? ` (#${queuePosition})` : ''}`;
  else if (run.phase === 'stopping') description = 'stopping: writing results…';
  else if (p)
    description = `epoch ${p.epoch}/${p.epochs} · ${Math.floor(p.fraction * 100)}%${p.etaSeconds !== undefined ? ` · ${formatDuration(p.etaSeconds)} left` : ''}`;
  else description = 'starting…';
  const best = run.bestValPsnr !== undefined ? `\nBest validation PSNR so far: ${run.bestValPsnr.toFixed(2)} dB` : '';
  return {
    description,
    icon: run.phase === 'queued' ? 'clock' : 'sync~spin',
    tooltip: `${run.name}: ${description}\n${run.configFile}${run.runDir ? `\n${run.runDir}` : ''}${best}`,
  };
}

/** A run folder on disk: its status, test PSNR of the kept model, and how long it took. */
export function savedRunLabel(listing: RunListing): RunLabel {
  const { summary } = listing;
  const psnr = summary?.metrics?.test.denoised.psnr;
  const parts: string[] = [listing.status];
  if (listing.status === 'running' && listing.epoch !== undefined && listing.epochs)
    parts.push(`epoch ${listing.epoch}/${listing.epochs}`);
  if (psnr !== undefined) parts.push(`${psnr.toFixed(2)} dB`);
  if (summary) parts.push(formatDuration(summary.durationSeconds));
  const { title, tags, note } = listing.notes;
  if (listing.problems) parts.push('damaged files');
  const lines = [`${title ?? listing.name}: ${parts.join(', ')}`, listing.runDir];
  if (title) lines.push(`Experiment: ${listing.name}`);
  if (tags?.length) lines.push(`Tags: ${tags.map((t) => `#${t}`).join(' ')}`);
  if (note) lines.push(`Note: ${note}`);
  for (const problem of listing.problems ?? []) lines.push(`⚠ ${problem}`);
  if (summary?.message) lines.push(summary.message);
  if (summary?.metrics) {
    const t = summary.metrics.test;
    lines.push(
      `Test: MSE ${t.denoised.mse.toPrecision(3)}, PSNR ${t.denoised.psnr.toFixed(2)} dB, SSIM ${t.denoised.ssim.toFixed(4)} (noisy input: ${t.noisyInput.psnr.toFixed(2)} dB)`,
    );
  }
  return { description: parts.join(' · '), icon: ICONS[listing.status] ?? 'question', tooltip: lines.join('\n') };
}
