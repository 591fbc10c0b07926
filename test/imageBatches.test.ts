import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shuffledImageBatches, type TrainingPairs } from '../src/core/training/imageBatches';

/** 10 one-pixel-by-two images whose pixels name the image (i and i + 0.5); targets are 100 + that. */
function numberedPairs(epoch: number): TrainingPairs {
  const pixels = Float32Array.from({ length: 20 }, (_, k) => Math.floor(k / 2) + (k % 2) / 2 + epoch * 1000);
  const inputs = { pixels, count: 10, height: 1, width: 2 };
  return { inputs, targets: { ...inputs, pixels: pixels.map((v) => v + 100) } };
}

const imagesOf = (rows: Float32Array) =>
  Array.from(
    rows.filter((_, k) => k % 2 === 0),
    (v) => v % 1000,
  );

test('an epoch goes through every image once, in batches of batchSize, each input with its own target', () => {
  const batches = shuffledImageBatches(numberedPairs, 1, { batchSize: 4, seed: 7 });
  assert.equal(batches.batchesPerEpoch, 3);
  const epoch = batches.epoch(1);
  const seen: number[] = [];
  for (let b = 0; b < 3; b++) {
    const batch = epoch.batch(b);
    assert.equal(batch.count, b < 2 ? 4 : 2);
    assert.deepEqual(
      Array.from(batch.targets),
      Array.from(batch.inputs, (v) => v + 100),
    );
    seen.push(...imagesOf(batch.inputs));
  }
  assert.deepEqual(
    [...seen].sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
});

test('the same seed and epoch give the same order, another epoch another order and its own pairs', () => {
  const order = (epoch: number, firstEpoch = 1) => {
    const source = shuffledImageBatches(numberedPairs, firstEpoch, { batchSize: 10, seed: 7 });
    return Array.from(
      source
        .epoch(epoch)
        .batch(0)
        .inputs.filter((_, k) => k % 2 === 0),
    );
  };
  assert.deepEqual(order(3), order(3, 3), 'a resumed run starting at epoch 3 trains what a fresh run does');
  assert.notDeepEqual(
    order(2).map((v) => v % 1000),
    order(3).map((v) => v % 1000),
  );
  assert.ok(
    order(2).every((v) => Math.floor(v / 1000) === 2),
    "epoch 2 trains on epoch 2's pairs",
  );
});

test("the first epoch's pairs are made once, when the batches are set up", () => {
  const asked: number[] = [];
  const pairs = (epoch: number) => (asked.push(epoch), numberedPairs(epoch));
  const source = shuffledImageBatches(pairs, 4, { batchSize: 5, seed: 1 });
  source.epoch(4);
  source.epoch(5);
  assert.deepEqual(asked, [4, 5]);
});
