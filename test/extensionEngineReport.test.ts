/**
 * The engine a run trains on, as the extension reports it: its log line, and on the slow plain wasm (here
 * forced by a BLAS that does not exist) a warning badge for the status bar with the reason and the fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineReport } from '../src/extension/host/engineReport';
import { RunService } from '../src/extension/host/runService';
import { writeTinyExperiment } from './helpers/tinyExperiment';
import { trainerPath } from './helpers/builtTrainer';

test('a run without any BLAS falls back to plain wasm: the log and the status bar say so, why, and how to get the fast one', async () => {
  // The forked trainer inherits this: the only BLAS it may load does not exist.
  process.env.DENOISE_BLAS_LIB = '/nonexistent/libopenblas.so.0';
  process.env.DENOISE_USER_BLAS_DIR = '/nonexistent';
  const log: string[] = [];
  const runs = new RunService({ trainerPath, maxParallel: 1, isTrusted: () => true, log: (l) => log.push(l) });
  const configFile = writeTinyExperiment(
    {
      dataset: { trainSize: 200, valSize: 50, testSize: 50 },
      model: { depth: 3, codeSize: 16 },
      training: { epochs: 1, batchSize: 50 },
      evaluation: { readability: false },
    },
    'no-blas',
  );
  const submitted = runs.submit({ configFile, overrides: [] });
  assert.ok(submitted.ok);
  const ended = await runs.whenEnded(submitted.run.id);
  assert.equal(ended.ending, 'completed');
  assert.equal(ended.engine?.badge, '$(warning) wasm');
  assert.match(
    ended.engine!.advice!,
    /wasm trains 30-40x slower than wasm-blas\. Why: .*wasm-blas skipped: no system BLAS could be loaded/,
  );
  assert.match(
    ended.engine!.advice!,
    process.platform === 'linux' ? /without root: apt-get download libopenblas0-pthread/ : /./,
  );
  assert.ok(
    log.some((l) => /\] Engine: wasm \(wasm, 1 thread\)\. wasm trains 30-40x slower/.test(l)),
    log.join('\n'),
  );
});

test('a fast engine gets its name in the status bar and its library in the log, with no advice', () => {
  const report = engineReport(
    { name: 'wasm-blas', backend: 'wasm', threads: 2, blasLibrary: 'libopenblas.so.0', notes: [] },
    'linux',
  );
  assert.deepEqual(report, { log: 'Engine: wasm-blas (wasm, 2 threads), BLAS libopenblas.so.0', badge: 'wasm-blas' });
  const mac = engineReport({ name: 'wasm', backend: 'wasm', threads: 1, notes: [] }, 'darwin');
  assert.match(mac.advice!, /Why: the engine was chosen \(wasm\).*Accelerate/);
});
