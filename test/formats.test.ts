/** The formats every front end shares (src/app): durations and the engine label. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineLabel, engineLine } from '../src/app/engineLabel';
import { formatDuration } from '../src/app/format';
import type { TrainingEvent } from '../src/core/training/events';
import { webviewUpdate } from '../src/extension/host/webviewUpdates';
import { eventLogLine } from '../src/trainer/eventLog';

test('a duration reads in seconds, minutes and seconds, or hours and minutes', () => {
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(59.4), '59s');
  assert.equal(formatDuration(59.6), '1m00s', 'rounded before it is split');
  assert.equal(formatDuration(65), '1m05s');
  assert.equal(formatDuration(3599), '59m59s');
  assert.equal(formatDuration(3600), '1h00m');
  assert.equal(formatDuration(26 * 3600 + 5 * 60 + 59), '26h05m', 'hours do not wrap into days; seconds are dropped');
  for (const unknown of [undefined, Number.NaN, Number.POSITIVE_INFINITY, -1])
    assert.equal(formatDuration(unknown), '–');
});

test('the engine label names the engine, its backend and its threads', () => {
  assert.equal(engineLabel({ name: 'wasm-blas', backend: 'wasm', threads: 2 }), 'wasm-blas (wasm, 2 threads)');
  assert.equal(engineLabel({ name: 'cpu', backend: 'cpu', threads: 1 }), 'cpu (cpu, 1 thread)');
  assert.equal(engineLine({ name: 'wasm', backend: 'wasm', threads: 1, notes: [] }), 'Engine: wasm (wasm, 1 thread)');
  assert.equal(
    engineLine({
      name: 'wasm',
      backend: 'wasm',
      threads: 1,
      notes: ['tensorflow skipped: not installed', 'wasm-blas skipped: no BLAS'],
    }),
    'Engine: wasm (wasm, 1 thread); tensorflow skipped: not installed; wasm-blas skipped: no BLAS',
  );
});

test("the page and the trainer log show a run's engine the same way", () => {
  const engine = { name: 'wasm-blas' as const, backend: 'wasm', threads: 4, notes: [] };
  const started: TrainingEvent = {
    type: 'started',
    runDir: '/runs/r',
    runName: 'r',
    engine,
    model: 'dense',
    dataset: 'MNIST',
    trainSize: 10,
    epochs: 1,
    batchesPerEpoch: 1,
  };
  const page = webviewUpdate({
    kind: 'event',
    run: { id: 'run-1', name: 'r', configFile: '/r.json', phase: 'running' },
    event: started,
  });
  assert.equal(page?.type === 'runStarted' && page.engine, 'wasm-blas (wasm, 4 threads)');
  assert.match(eventLogLine(started) ?? '', /^Engine: wasm-blas \(wasm, 4 threads\)$/m);
});
