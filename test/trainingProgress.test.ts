import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunPosition } from '../src/core/training/runPosition';
import { TrainingProgress } from '../src/core/training/trainingProgress';
import { batchLearningRate } from '../src/core/training/learningRateSchedule';

/** A clock the test moves by hand, in milliseconds. */
function manualClock() {
  let ms = 1000;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

test('the time left is the time per batch so far times the batches left', () => {
  const clock = manualClock();
  const progress = new TrainingProgress(new RunPosition(0, 2, 5), clock.now);
  clock.advance(3000);
  // 3 s for the first 3 batches of 10: 7 left at 1 s each.
  assert.equal(progress.etaAfterBatch(1, 2), 7);
  clock.advance(2000);
  assert.equal(progress.etaAfterEpoch(1), 5, 'one epoch in 5 s, one epoch left');
});

test('a resumed run estimates from this session only, not from the epochs done before', () => {
  const clock = manualClock();
  // Epochs 1-6 of 10 were done before; this session trains 7-10, 4 batches each.
  const progress = new TrainingProgress(new RunPosition(6, 10, 4), clock.now);
  clock.advance(8000);
  assert.equal(progress.etaAfterBatch(7, 3), 24, 'one epoch (4 batches) in 8 s, three epochs left');
  assert.equal(progress.etaAfterEpoch(7), 24);
});

test('a run resumed within an epoch counts only the batches it trains itself', () => {
  const clock = manualClock();
  // 6 epochs of 4 batches done, and 2 batches of epoch 7: this session trains 2 + 3 x 4 = 14 batches.
  const position = new RunPosition(6, 10, 4, 2);
  assert.equal(position.sessionBatches, 14);
  assert.equal(position.startBatch(7), 2);
  assert.equal(position.startBatch(8), 0);
  const progress = new TrainingProgress(position, clock.now);
  clock.advance(4000);
  assert.equal(progress.etaAfterBatch(7, 3), 24, 'its first 2 batches in 4 s: 12 left at 2 s each');
});

test('speed counts step time only, with the samples each step returned', () => {
  const clock = manualClock();
  const progress = new TrainingProgress(new RunPosition(0, 1, 2), clock.now);
  const first = progress.timeStep(() => {
    clock.advance(500);
    return { loss: 0.25, count: 32 };
  });
  assert.equal(first.loss, 0.25);
  clock.advance(10_000); // validation, checkpoints: not training time
  progress.timeStep(() => {
    clock.advance(1500);
    return { count: 8 };
  });
  assert.equal(progress.trainSeconds, 2);
  assert.equal(progress.samplesSeen, 40);
  assert.equal(progress.samplesPerSecond, 20);
});

test('a resumed run continues its learning-rate schedule where the whole run stands', () => {
  const training = {
    learningRate: 0.1,
    learningRateSchedule: { type: 'step' as const, factor: 0.5, everyEpochs: 1, warmupBatches: 0, finalFraction: 0 },
  };
  const fresh = new RunPosition(0, 4, 3);
  const resumed = new RunPosition(2, 4, 3);
  assert.equal(resumed.firstEpoch, 3);
  assert.equal(batchLearningRate(training, resumed, 3, 0), 0.025, 'epoch 3 is two halvings in');
  assert.equal(batchLearningRate(training, resumed, 3, 0), batchLearningRate(training, fresh, 3, 0));
  assert.equal(batchLearningRate({ learningRate: 0.1 }, resumed, 4, 2), 0.1, 'no schedule: the configured rate');
});
