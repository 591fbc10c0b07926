import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeGrayPng } from '../src/core/images/png';
import { writeTinyExperiment } from './helpers/tinyExperiment';

const bin = join(__dirname, '..', 'bin', 'denoise');

function denoise(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('run --json streams events and ends with a summary; list and eval read the run back', () => {
  const file = writeTinyExperiment(
    { dataset: { trainSize: 1000, valSize: 200, testSize: 300 }, training: { epochs: 2 } },
    'cli-run',
  );
  const run = denoise('run', file, '--json', '--set', 'training.epochs=1');
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
  assert.equal(lines[0].type, 'started');
  const summary = lines.at(-1)!;
  assert.equal(summary.type, 'summary');
  assert.equal(summary.status, 'completed');
  assert.equal(summary.epochsCompleted, 1, '--set training.epochs=1 took effect');
  const runDir = String(summary.runDir);
  assert.equal(dirname(runDir), join(dirname(file), 'denoise-runs'));

  const list = denoise('list', '--runs-dir', dirname(runDir), '--json');
  assert.equal(list.code, 0);
  const runs = JSON.parse(list.stdout) as { runDir: string; status: string }[];
  assert.deepEqual(
    runs.map((r) => [r.runDir, r.status]),
    [[runDir, 'completed']],
  );

  const listText = denoise('list', '--runs-dir', dirname(runDir));
  assert.match(listText.stdout, /cli-run\s+completed\s+\S+\s+\d+\.\d\d/);

  const evaluated = denoise('eval', runDir, '--json');
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const metrics = JSON.parse(evaluated.stdout) as { test: { denoised: { mse: number } } };
  const saved = (summary.metrics as { test: { denoised: { mse: number } } }).test.denoised.mse;
  assert.ok(
    Math.abs(metrics.test.denoised.mse - saved) < 1e-9,
    `eval ${metrics.test.denoised.mse} vs summary ${saved}`,
  );
});

test('a human-readable run prints the metrics table and where the results are', () => {
  const file = writeTinyExperiment({
    dataset: { trainSize: 500, valSize: 100, testSize: 100 },
    training: { epochs: 1 },
  });
  const run = denoise('run', file);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /Engine: \S+/);
  assert.match(run.stderr, /epoch 1\/1 +train \S+ +val \S+ +PSNR \d+\.\d\d dB +SSIM \d\.\d{3}/);
  assert.match(run.stdout, /COMPLETED: Trained 1 epochs\./);
  assert.match(run.stdout, /test denoised +\S+ +\d+\.\d\d dB +\d\.\d{4} +100/);
  assert.match(run.stdout, /test noisy input/);
  assert.match(run.stdout, /Results: .*denoise-runs/);
});

test('bad input exits with 2 and says what to fix; a diverged run exits with 1', () => {
  const file = writeTinyExperiment();
  const bad = denoise('run', file, '--set', 'training.learningrate=0.1');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /training\.learningrate: unknown field; did you mean "learningRate"\?/);
  assert.equal(readdirSync(dirname(file)).includes('denoise-runs'), false, 'no run folder for an invalid config');

  const missing = denoise('run', join(dirname(file), 'nope.denoise.json'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file/);

  const noData = denoise('run', file, '--set', 'dataset.source=idx', '--set', 'dataset.trainImages=missing.idx');
  assert.equal(noData.code, 2);
  assert.match(noData.stderr, /missing\.idx/);

  const diverged = denoise(
    'run',
    file,
    '--set',
    'model.outputActivation=linear',
    '--set',
    'training.optimizer=sgd',
    '--set',
    'training.learningRate=50',
    '--set',
    'training.epochs=1',
  );
  assert.equal(diverged.code, 1);
  assert.match(diverged.stderr, /Training diverged/);
  assert.match(diverged.stderr, /try training\.learningRate=25/);
});

test('preview writes clean, per-step and combined noise images without training', () => {
  const file = writeTinyExperiment();
  const out = join(dirname(file), 'preview');
  const result = denoise('preview', file, '--out', out, '--count', '5', '--json');
  assert.equal(result.code, 0, result.stderr);
  const listing = JSON.parse(result.stdout) as { steps: { label: string; file: string }[]; overview: string };
  assert.deepEqual(
    listing.steps.map((s) => s.label),
    ['clean', 'gaussian', 'saltPepper', 'combined'],
  );
  for (const s of listing.steps) assert.ok(existsSync(s.file));
  const overview = decodeGrayPng(readFileSync(listing.overview));
  assert.ok(overview.width > (overview.height / 5) * 3, 'four columns side by side');
  assert.equal(existsSync(join(dirname(file), 'denoise-runs')), false, 'preview trains nothing');
  writeFileSync(join(out, 'x'), '');
});
