import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deserialize, serialize } from 'node:v8';
import type { TrainingEvent } from '../src/core/training/events';
import type { RunSummary } from '../src/core/runs/runSummary';
import { validateHostToTrainer, validateTrainerToHost } from '../src/protocol/validateTrainerMessages';

/** What crosses a fork() channel with serialization: 'advanced'. */
const overIpc = <T>(value: T): unknown => deserialize(serialize(value));

const samples = (count: number, side: number) => ({
  count,
  height: side,
  width: side,
  clean: new Uint8Array(count * side * side).fill(10),
  noisy: new Uint8Array(count * side * side).fill(20),
  denoised: new Uint8Array(count * side * side).fill(30),
});

const quality = { mse: 0.002, psnr: 27, ssim: 0.9, count: 100 };
const summary: RunSummary = {
  name: 'tiny',
  description: '',
  runDir: '/ws/denoise-runs/2026-tiny',
  status: 'completed',
  message: 'Trained 1 epochs.',
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: '2026-01-01T00:00:09Z',
  durationSeconds: 9,
  engine: { name: 'wasm', backend: 'wasm', threads: 1, notes: [] },
  model: 'dense 784-100-784',
  dataset: 'mnist',
  noise: 'gaussian',
  epochsCompleted: 1,
  bestEpoch: 1,
  samplesPerSecond: 5000,
  trainingSteps:
    'residual CNN adam steps run directly on oneDNN 2.6.3 (brgconv:avx512_core, 2 threads): 5 3x3 convolutions, 32-32-32-32-1 channels',
  finalTrainLoss: 0.01,
  finalValLoss: 0.011,
  metrics: {
    train: { denoised: quality, noisyInput: quality },
    val: { denoised: quality, noisyInput: quality },
    test: { denoised: quality, noisyInput: quality },
  },
};

test('every training event survives the IPC channel and validation unchanged', () => {
  const events: TrainingEvent[] = [
    {
      type: 'started',
      runDir: '/r',
      runName: 'tiny',
      engine: summary.engine,
      model: 'm',
      dataset: 'd',
      trainSize: 300,
      epochs: 2,
      batchesPerEpoch: 5,
    },
    { type: 'batch', epoch: 1, batch: 3, batchesPerEpoch: 5, loss: 0.05, samplesPerSecond: 900, etaSeconds: 3 },
    {
      type: 'epoch',
      epoch: 1,
      epochs: 2,
      etaSeconds: 4,
      trainLoss: 0.05,
      valLoss: 0.06,
      val: quality,
      seconds: 2,
      samplesPerSecond: 800,
      best: true,
    },
    { type: 'samples', epoch: 1, images: samples(4, 28) },
    { type: 'log', message: 'Loaded the starting model.' },
    { type: 'finished', status: 'stopped', runDir: '/r', message: 'Stopped by the user after 1 of 2 epochs.' },
    {
      type: 'failed',
      reason: 'diverged',
      message: 'Training diverged.',
      hint: 'try training.learningRate=0.5',
      runDir: '/r',
    },
  ];
  for (const event of events) {
    const checked = validateTrainerToHost(overIpc({ type: 'event', event }));
    assert.ok(checked.ok, `${event.type}: ${checked.ok ? '' : checked.reason}`);
    assert.deepEqual(checked.value, { type: 'event', event });
  }
  const images = validateTrainerToHost(overIpc({ type: 'event', event: events[3] }));
  assert.ok(images.ok && images.value.type === 'event' && images.value.event.type === 'samples');
  assert.ok(images.value.event.images.denoised instanceof Uint8Array, 'pixels stay bytes, not JSON');
});

test('a summary and a bad-input error are accepted; the error keeps the named fields', () => {
  assert.deepEqual(validateTrainerToHost(overIpc({ type: 'summary', summary })), {
    ok: true,
    value: { type: 'summary', summary },
  });
  const error = {
    type: 'error',
    failure: 'badInput',
    message: 'x.denoise.json is not a valid experiment',
    problems: [{ path: 'training.learningrate', message: 'unknown field; did you mean "learningRate"?' }],
  };
  const checked = validateTrainerToHost(overIpc(error));
  assert.ok(checked.ok && checked.value.type === 'error');
  assert.equal(checked.value.problems[0].path, 'training.learningrate');
});

test('malformed trainer messages are rejected with the field and the reason', () => {
  const batch = {
    type: 'batch',
    epoch: 1,
    batch: 1,
    batchesPerEpoch: 5,
    loss: 0.1,
    samplesPerSecond: 1,
    etaSeconds: 1,
  };
  const cases: [unknown, RegExp][] = [
    [null, /message: expected an object, got null/],
    ['event', /message: expected an object, got a string of 5 characters/],
    [{ type: 'launchMissiles' }, /unknown message type "launchMissiles"/],
    [{ type: 'event', event: { ...batch, loss: NaN } }, /event\.loss: expected a finite number, got NaN/],
    [{ type: 'event', event: { ...batch, etaSeconds: Infinity } }, /event\.etaSeconds: expected a finite number/],
    [{ type: 'event', event: { ...batch, epoch: '1' } }, /event\.epoch: expected a finite number, got a string/],
    [{ type: 'event', event: { ...batch, batch: 1.5 } }, /event\.batch: expected an integer/],
    [
      { type: 'event', event: { type: 'samples', epoch: 1, images: { ...samples(2, 28), noisy: new Uint8Array(10) } } },
      /images\.noisy: expected 1568 bytes, got 10/,
    ],
    [
      {
        type: 'event',
        event: { type: 'samples', epoch: 1, images: { ...samples(2, 28), clean: Array.from(new Uint8Array(1568)) } },
      },
      /images\.clean: expected a Uint8Array, got an array of 1568/,
    ],
    [
      { type: 'event', event: { type: 'samples', epoch: 1, images: { count: 100_000, height: 256, width: 256 } } },
      /images\.count: 100000 is above 64/,
    ],
    [
      { type: 'event', event: { type: 'log', message: 'x'.repeat(1_000_000) } },
      /event\.message: longer than 20000 characters/,
    ],
    [
      { type: 'summary', summary: { ...summary, status: 'exploded' } },
      /summary\.status: expected one of running, completed/,
    ],
    [
      {
        type: 'error',
        failure: 'badInput',
        message: 'm',
        problems: new Array(10_000).fill({ path: 'a', message: 'b' }),
      },
      /error\.problems: more than 500 items/,
    ],
  ];
  for (const [message, reason] of cases) {
    const checked = validateTrainerToHost(overIpc(message));
    assert.equal(checked.ok, false, `accepted ${JSON.stringify(message)?.slice(0, 80)}`);
    assert.match(checked.ok ? '' : checked.reason, reason);
  }
});

test('the trainer accepts start, preview and stop, drops unknown fields, and rejects the rest', () => {
  const start = {
    type: 'start',
    configFile: '/ws/a.denoise.json',
    overrides: ['training.epochs=1'],
    runsDir: '/ws/runs',
    extra: 'ignored',
  };
  assert.deepEqual(validateHostToTrainer(overIpc(start)), {
    ok: true,
    value: { type: 'start', configFile: '/ws/a.denoise.json', overrides: ['training.epochs=1'], runsDir: '/ws/runs' },
  });
  assert.deepEqual(validateHostToTrainer({ type: 'stop' }), { ok: true, value: { type: 'stop' } });
  assert.ok(validateHostToTrainer({ type: 'preview', configFile: '/a', overrides: [], count: 8 }).ok);

  const rejected: [unknown, RegExp][] = [
    [{ type: 'start', overrides: [] }, /start\.configFile: expected a string, got undefined/],
    [
      { type: 'start', configFile: '/a', overrides: 'training.epochs=1' },
      /start\.overrides: expected an array, got a string of 17 characters/,
    ],
    [{ type: 'start', configFile: '/a', overrides: [1] }, /start\.overrides\[0\]: expected a string/],
    [{ type: 'start', configFile: '/a', overrides: new Array(201).fill('a=1') }, /more than 200 items/],
    [{ type: 'preview', configFile: '/a', overrides: [], count: 0 }, /preview\.count: 0 is below 1/],
    [{ type: 'exec', command: 'rm -rf /' }, /unknown message type "exec"/],
  ];
  for (const [message, reason] of rejected) {
    const checked = validateHostToTrainer(message);
    assert.equal(checked.ok, false);
    assert.match(checked.ok ? '' : checked.reason, reason);
  }
});
