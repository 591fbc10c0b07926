import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const bin = join(__dirname, '..', '..', 'bin', 'denoise');
const example = join(__dirname, '..', '..', 'examples', 'real-gray-sigma25.denoise.json');

/** Runs the `denoise` command line as a user would; its exit code and output. */
export function denoiseCli(args: string[], timeoutMs = 300_000) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Trains a small DnCNN with `denoise run` on the gray σ 25 example, on the images of `trainFolder` (also its
 * test set), no baselines, into `runsDir`; `settings` go on top as `--set field=value`. Seconds, not minutes:
 * for tests that need a real trained run folder. Returns the run folder of the completed run.
 */
export function trainImageRun(trainFolder: string, runsDir: string, settings: Record<string, string | number>): string {
  const all = {
    'dataset.trainFolder': trainFolder,
    'dataset.testFolder': trainFolder,
    'training.patchSize': 16,
    'training.batchSize': 16,
    'evaluation.baselines': '[]',
    'output.runsDir': runsDir,
    ...settings,
  };
  const run = denoiseCli([
    'run',
    example,
    '--json',
    ...Object.entries(all).flatMap(([k, v]) => ['--set', `${k}=${v}`]),
  ]);
  assert.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { runDir: string; status: string };
  assert.equal(summary.status, 'completed', `the training run ended ${summary.status}`);
  return summary.runDir;
}
