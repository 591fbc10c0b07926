/**
 * `denoise sweep` end to end (the CLI bundle really forks its runs), and the sweep's results table built
 * from run folders.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveConfig } from '../src/core/config/loadConfig';
import type { RunSummary } from '../src/core/runs/runSummary';
import { writeSweepResults } from '../src/app/sweep/sweepResults';
import { writeTinyExperiment } from './helpers/tinyExperiment';

const bin = join(__dirname, '..', 'bin', 'denoise');
if (!existsSync(join(__dirname, '..', 'dist', 'cli.js')))
  throw new Error('dist/cli.js is missing: run "npm run build" first (npm test does).');

function denoise(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A tiny experiment with a sweep section added. */
function tinySweep(name: string, sweep: unknown): string {
  const file = writeTinyExperiment(
    {
      dataset: { trainSize: 300, valSize: 100, testSize: 100 },
      model: { depth: 3, codeSize: 16 },
      training: { epochs: 1 },
    },
    name,
  );
  const config = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...config, sweep }, null, 2));
  return file;
}

test('denoise sweep trains each run in its own process and writes the results table; --set reaches every run', () => {
  const file = tinySweep('tiny-grid', { grid: { 'model.codeSize': [8, 24] } });
  const result = denoise('sweep', file, '--parallel', '2', '--set', 'training.batchSize=50');
  assert.equal(result.code, 0, result.stderr + result.stdout);
  // The cores are shared among the runs at once: BLAS threads per run = cores / parallel.
  const threads = Math.max(1, Math.floor(availableParallelism() / 2));
  assert.match(
    result.stdout,
    new RegExp(`Sweep tiny-grid: 2 run\\(s\\), 2 at a time, ${threads} BLAS thread\\(s\\) each`),
  );
  assert.match(result.stdout, /\[1\/2\] completed tiny-grid codeSize=8 +test MSE/);

  const runsDir = join(dirname(file), 'denoise-runs');
  const sweepFolder = readdirSync(runsDir).find((entry) => entry.startsWith('tiny-grid-'));
  assert.ok(sweepFolder, 'the sweep folder is named after the sweep and the time');
  const csv = readFileSync(join(runsDir, sweepFolder, 'results.csv'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(csv.length, 3);
  assert.match(
    csv[0],
    /^Run,Status,Model,Noise,Layers,Code size,Optimizer,Learning rate,Epochs trained,Epochs configured,Batch size,Train MSE,Val MSE,Test MSE,Test PSNR \(dB\),Test SSIM,Readability,Time \(s\),Folder,Tags,Note$/,
  );
  const cells = csv.slice(1).map((line) => line.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '')));
  assert.deepEqual(
    cells.map((c) => [c[0], c[1], c[4], c[5], c[10]]),
    [
      ['tiny-grid codeSize=8', 'completed', '3', '8', '50'],
      ['tiny-grid codeSize=24', 'completed', '3', '24', '50'],
    ],
  );
  for (const c of cells) {
    const testMse = Number(c[13]);
    assert.ok(testMse > 0 && testMse < 1, `test MSE ${c[13]} is a figure`);
    assert.ok(existsSync(join(c[18], 'summary.json')), 'the row links its run folder');
    assert.equal(
      dirname(c[18]),
      runsDir,
      'runs go to the runs folder, where `denoise list` and the extension see them',
    );
    assert.equal(
      JSON.parse(readFileSync(join(c[18], 'config.json'), 'utf8')).compute.threads,
      threads,
      'each run got its share of the cores',
    );
  }
  const markdown = readFileSync(join(runsDir, sweepFolder, 'results.md'), 'utf8');
  assert.match(markdown, /^# Sweep tiny-grid\n/);
  assert.match(markdown, /\| tiny-grid codeSize=24 \| completed \|/);
});

test('a failed run is a row with its status and the sweep goes on (exit 1); a bad sweep path is refused (exit 2)', () => {
  const file = tinySweep('tiny-mixed', {
    runs: [
      { label: 'from nowhere', set: { 'training.startFrom': { run: 'latest:never-ran' } } },
      { set: { 'training.learningRate': 0.01 } },
    ],
  });
  const result = denoise('sweep', file, '--json');
  assert.equal(result.code, 1, result.stderr);
  const lines = result.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
  const summary = lines.at(-1)!;
  assert.equal(summary.type, 'sweepSummary');
  const runs = summary.runs as { label: string; status: string; message?: string }[];
  assert.deepEqual(
    runs.map((r) => [r.label, r.status]),
    [
      ['tiny-mixed from nowhere', 'badInput'],
      ['tiny-mixed lr=0.01', 'completed'],
    ],
  );
  assert.match(runs[0].message!, /no completed run of experiment "never-ran"/);
  const csv = readFileSync((summary.files as { csv: string }).csv, 'utf8');
  assert.match(
    csv,
    /\ntiny-mixed from nowhere,badInput,,Gaussian σ²=0\.01 \+ salt-and-pepper 0\.1,3,16,adam,0\.002,,1,32,,/,
    'the failed row still shows its hyper-parameters',
  );

  const bad = denoise('sweep', tinySweep('tiny-bad', { grid: { 'training.learningrate': [0.1, 1] } }));
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /training\.learningrate: unknown field; did you mean "learningRate"\? \(in every run of the sweep\)/,
  );
});

test("the results table reads each run folder's figures and readability, under the sweep's labels, in the sweep's order", () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'denoise-sweep-table-'));
  const quality = (mse: number, psnr: number) => ({ mse, psnr, ssim: 0.5, count: 10 });
  const fakeRun = (folder: string, codeSize: number, mse: number, extra: object = {}) => {
    const runDir = join(runsDir, folder);
    mkdirSync(runDir);
    const { config } = resolveConfig({
      name: 'fake',
      dataset: { source: 'mnist' },
      noise: { steps: [{ type: 'gaussian', variance: 0.01 }] },
      model: { type: 'dense', depth: 7, codeSize },
      training: { learningRate: 0.8, epochs: 10, batchSize: 128 },
    });
    writeFileSync(join(runDir, 'config.json'), JSON.stringify(config));
    const split = { denoised: quality(mse, 20), noisyInput: quality(0.05, 13) };
    const summary: Partial<RunSummary> = {
      name: 'fake',
      runDir,
      status: 'completed',
      durationSeconds: 61,
      noise: 'Gaussian σ²=0.01',
      model: 'dense',
      epochsCompleted: 10,
      metrics: { train: split, val: split, test: split },
      ...extra,
    };
    writeFileSync(join(runDir, 'summary.json'), JSON.stringify(summary));
    return runDir;
  };
  const a = fakeRun('a', 10, 0.031);
  const b = fakeRun('b', 100, 0.012, { readability: { denoised: 0.9634 } });
  const folder = join(runsDir, 'sweep');
  mkdirSync(folder);
  const files = writeSweepResults(folder, { name: 'fake', file: '/x/fake.denoise.json', total: 3 }, [
    { index: 1, label: 'fake codeSize=100', status: 'completed', runDir: b },
    { index: 0, label: 'fake codeSize=10', status: 'completed', runDir: a },
    { index: 2, label: 'fake codeSize=500', status: 'crashed', message: 'The trainer crashed (out of memory).' },
  ]);
  const csv = readFileSync(files.csv, 'utf8').trim().split('\n');
  assert.equal(
    csv[1],
    `fake codeSize=10,completed,dense,Gaussian σ²=0.01,7,10,sgd,0.8,10,10,128,0.0310,0.0310,0.0310,20.00,0.5000,,61.0,${a},,`,
  );
  assert.equal(
    csv[2],
    `fake codeSize=100,completed,dense,Gaussian σ²=0.01,7,100,sgd,0.8,10,10,128,0.0120,0.0120,0.0120,20.00,0.5000,96.3%,61.0,${b},,`,
  );
  assert.equal(csv[3], 'fake codeSize=500,crashed,,,,,,,,,,,,,,,,,,,');
  const markdown = readFileSync(files.markdown, 'utf8');
  assert.match(
    markdown,
    /3 of 3 runs ended, 1 did not complete\.\n- fake codeSize=500: crashed: The trainer crashed \(out of memory\)\./,
  );
});

test(
  'Ctrl+C stops the running run after its batch, starts no other, and still writes the table (exit 1)',
  { timeout: 180_000 },
  async () => {
    const file = tinySweep('tiny-stop', { grid: { 'training.seed': [1, 2] } });
    const config = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...config, training: { ...config.training, epochs: 200, batchSize: 8 } }));
    const child = spawn(process.execPath, [bin, 'sweep', file, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    // Wait until the first run has made its folder, then interrupt the sweep as a terminal would.
    const runsDir = join(dirname(file), 'denoise-runs');
    while (!(existsSync(runsDir) && readdirSync(runsDir).some((entry) => entry.includes('tiny-stop_seed-1'))))
      await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 1);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      type: string;
      runs: { label: string; status: string }[];
      files: { csv: string };
    };
    assert.equal(summary.type, 'sweepSummary');
    assert.deepEqual(
      summary.runs.map((r) => [r.label, r.status]),
      [
        ['tiny-stop seed=1', 'stopped'],
        ['tiny-stop seed=2', 'cancelled'],
      ],
    );
    assert.match(
      readFileSync(summary.files.csv, 'utf8'),
      /\ntiny-stop seed=1,stopped,[^\n]*\ntiny-stop seed=2,cancelled,/,
    );
  },
);

test('denoise run on a file with a sweep trains it once as written and says how to run the sweep', () => {
  const file = tinySweep('tiny-once', { grid: { 'model.codeSize': [8, 24] } });
  const result = denoise('run', file, '--set', 'training.epochs=1');
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stderr,
    /this experiment has a sweep section; `denoise run` trains it once as written\. `denoise sweep .*tiny-once\.denoise\.json` runs the sweep/,
  );
  const runs = readdirSync(join(dirname(file), 'denoise-runs'));
  assert.equal(runs.length, 1, 'one run, no sweep folder');
});
