import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '../src/core/random/seededRandom';
import { SeedCounter } from '../src/core/random/seedCounter';
import { checkpointDir, markRunStart, readCheckpoint, saveCheckpoint } from '../src/core/runs/checkpoint';
import { readTrainingState, writeTrainingState } from '../src/core/runs/trainingStateFile';
import type { TrainingState } from '../src/core/training/trainingState';

const runFolder = () => mkdtempSync(join(tmpdir(), 'denoise-ckpt-'));
/** A stand-in for saveDenoiser: the files readCheckpoint looks for. */
const fakeModel = (dir: string) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), '{}');
};

test('a saved random stream continues with the numbers the original would have drawn', () => {
  const original = new SeededRandom(7);
  for (let i = 0; i < 5; i++) original.next();
  original.nextGaussian(); // leaves the pair's second value waiting
  const copy = SeededRandom.fromState(JSON.parse(JSON.stringify(original.state())));
  assert.deepEqual(
    Array.from({ length: 6 }, () => copy.nextGaussian()),
    Array.from({ length: 6 }, () => original.nextGaussian()),
  );
  assert.throws(() => SeededRandom.fromState({ words: [1, 2], spareGaussian: null }), /needs 4 integer state words/);
  const seeds = new SeedCounter(100);
  seeds.next();
  const resumed = new SeedCounter(0);
  resumed.restore(seeds.state());
  assert.equal(resumed.next(), seeds.next());
});

test('a training state comes back from training.json and training.bin with its arrays and non-finite numbers', () => {
  const dir = runFolder();
  const state = {
    format: 1,
    epochsDone: 2,
    batchesDone: 5,
    batchesPerEpoch: 9,
    steps: {
      optimizer: 'adam',
      slots: [Float32Array.of(1.5, -2, 3e-8), Float32Array.of()],
      betaPowers: [0.9 ** 3, 0.999 ** 3],
    },
    batches: { source: 'x' },
    modelNoise: null,
    earlyStopping: { bestLoss: Infinity, bestEpoch: 0, sinceBest: 0, snapshot: null },
    divergence: { reference: null, warmup: [NaN] },
    collapseWarned: false,
  } as unknown as TrainingState;
  writeTrainingState(dir, state);
  const back = readTrainingState(dir);
  assert.deepEqual(back, state);
  writeFileSync(join(dir, 'training.bin'), Buffer.alloc(6));
  assert.throws(() => readTrainingState(dir), /training\.bin is 6 bytes, not whole 32-bit floats/);
});

test('checkpoints commit through state.json, keep the newest N and drop leftovers of an abandoned timeline', async () => {
  const run = runFolder();
  markRunStart(run, '/experiments');
  const start = readCheckpoint(run);
  assert.deepEqual(
    [start?.epoch, start?.batch, start?.modelDir, start?.baseDir],
    [0, 0, undefined, '/experiments'],
    'the start is resumable',
  );
  const at = (epoch: number, batch: number) => ({ epoch, batch, batchesPerEpoch: 10 });
  await saveCheckpoint(run, at(0, 4), '/experiments', fakeModel, 2);
  await saveCheckpoint(run, at(1, 0), '/experiments', fakeModel, 2);
  await saveCheckpoint(run, at(1, 6), '/experiments', fakeModel, 2);
  const folders = () =>
    readdirSync(checkpointDir(run))
      .filter((f) => f !== 'state.json')
      .sort();
  assert.deepEqual(folders(), ['epoch-0001', 'epoch-0001-batch-000006']);
  assert.equal(readCheckpoint(run)?.modelDir, join(checkpointDir(run), 'epoch-0001-batch-000006'));
  // A resume from epoch 1's end takes a checkpoint before batch 6 again: the later folder is from the old timeline.
  await saveCheckpoint(run, at(1, 3), '/experiments', fakeModel, 2);
  assert.deepEqual(folders(), ['epoch-0001', 'epoch-0001-batch-000003']);
  // A save killed before state.json leaves the previous checkpoint in charge.
  await assert.rejects(saveCheckpoint(run, at(2, 0), '/experiments', () => Promise.reject(new Error('killed'))));
  assert.deepEqual([readCheckpoint(run)?.epoch, readCheckpoint(run)?.batch], [1, 3]);
});
