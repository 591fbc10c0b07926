import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrainingEvent } from '../src/core/training/events';
import { BatchThrottle } from '../src/trainer/batchThrottle';
import { eventLogLine } from '../src/trainer/eventLog';

const batch = (epoch: number, b: number, of = 100): TrainingEvent => ({
  type: 'batch',
  epoch,
  batch: b,
  batchesPerEpoch: of,
  loss: 0.1,
  samplesPerSecond: 1000,
  etaSeconds: 10,
});

test('batch events are thinned to about ten a second; the last batch of each epoch and other events always pass', () => {
  let now = 0;
  const throttle = new BatchThrottle(100, () => now);
  const sent: number[] = [];
  // 300 batches over 3 epochs, one every 5 ms: 1.5 s of training.
  for (let i = 0; i < 300; i++) {
    now = i * 5;
    const event = batch(Math.floor(i / 100) + 1, (i % 100) + 1);
    if (throttle.shouldSend(event)) sent.push(i);
  }
  assert.ok(sent.length >= 15 && sent.length <= 18, `${sent.length} batch events sent for 1.5 s`);
  for (const last of [99, 199, 299]) assert.ok(sent.includes(last), `last batch of an epoch (${last}) sent`);
  assert.equal(sent[0], 0, 'the first batch is sent at once');
  assert.equal(throttle.shouldSend({ type: 'log', message: 'x' }), true);
  assert.equal(throttle.shouldSend({ type: 'finished', status: 'completed', runDir: '/r', message: '' }), true);
});

test("the trainer's log has one readable line per epoch and none for batches", () => {
  assert.equal(eventLogLine(batch(1, 1)), undefined);
  const line = eventLogLine({
    type: 'epoch',
    epoch: 2,
    epochs: 5,
    etaSeconds: 3,
    trainLoss: 0.0123,
    valLoss: 0.00456,
    seconds: 2.4,
    samplesPerSecond: 812.4,
    best: true,
    val: { mse: 0.004, psnr: 23.456, ssim: 0.81234, count: 100 },
  });
  assert.equal(line, 'epoch 2/5  train 0.0123  val 4.56e-3  PSNR 23.46 dB  SSIM 0.812  2s  812 samples/s  *');
});
