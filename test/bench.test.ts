import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { rate } from '../bench/benchRows';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..');

// Shape only, never speed: the machines are shared, and speed figures belong to `npm run bench` itself.
test('npm run bench -- --json on one engine reports samples/s and peak memory per row', async () => {
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/bench.ts',
      '--json',
      '--engines',
      'wasm',
      '--models',
      'dense',
      '--samples',
      '2560',
      '--warmup',
      '1',
      '--no-python',
    ],
    { cwd: ROOT, timeout: 120_000 },
  );
  const report = JSON.parse(stdout);
  assert.equal(report.machine.cpus > 0, true);
  assert.match(report.machine.tfjs, /^\d+\.\d+\.\d+$/);
  assert.match(report.data, /random/);
  assert.deepEqual(
    report.rows.map((r: { model: string; engine: string; status: string }) => [r.model, r.engine, r.status]),
    [
      ['dense', 'pytorch', 'skipped'],
      ['dense', 'wasm', 'ok'],
    ],
  );
  const wasm = report.rows[1];
  assert.equal(wasm.samples, 512, 'plain wasm, a slow engine, times a fifth of --samples, in whole batches of 256');
  assert.equal(wasm.threads, 1);
  assert.ok(wasm.samplesPerSecond > 0, `samples/s ${wasm.samplesPerSecond}`);
  assert.ok(wasm.seconds > 0);
  assert.ok(wasm.peakRssMB > 10, `peak RSS ${wasm.peakRssMB} MB`);
  assert.equal(wasm.ratioToPytorch, undefined, 'no PyTorch row was measured, so no ratio');
  assert.match(report.rows[0].note, /--no-python/);
});

test('npm run bench refuses an unknown engine with the list of valid ones', async () => {
  await assert.rejects(
    run(process.execPath, ['--import', 'tsx', 'bench/bench.ts', '--engines', 'gpu'], { cwd: ROOT }),
    (err: { stderr: string }) => {
      assert.match(err.stderr, /--engines: unknown gpu; choose from tensorflow, wasm-blas, wasm, cpu/);
      return true;
    },
  );
});

test('the table shows small rates to three figures, not rounded to 0', () => {
  assert.deepEqual([0.1934, 4.4, 23.46, 1890.4, undefined].map(rate), ['0.193', '4.40', '23.5', '1,890', '-']);
});
