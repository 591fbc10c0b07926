import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollapseWatch, collapsedOutputWarning } from '../src/core/training/collapsedOutput';
import { loadMnist } from '../src/core/data/mnist';
import { firstImages } from '../src/core/data/imageSet';

test('a model that outputs one flat black image is called collapsed, with what to change', () => {
  const black = new Float32Array(20 * 784).fill(0.002);
  const message = collapsedOutputWarning(1, black, 'mse');
  assert.match(message ?? '', /^Epoch 1: the model outputs nearly the same flat image \(mean 0\.002, spread 0\.0000\)/);
  assert.match(message ?? '', /training\.loss=bce/);
  assert.doesNotMatch(
    collapsedOutputWarning(3, black, 'bce') ?? '',
    /loss=bce/,
    'a bce run is told to lower the rate only',
  );
  assert.match(collapsedOutputWarning(3, black, 'bce') ?? '', /lower training\.learningRate/);
});

test('real digits, even faint ones, are not called collapsed', async () => {
  const digits = firstImages((await loadMnist()).test, 50).pixels;
  assert.equal(collapsedOutputWarning(1, digits, 'mse'), undefined);
  const faint = digits.map((v) => v * 0.2);
  assert.equal(collapsedOutputWarning(1, faint, 'mse'), undefined);
  assert.equal(collapsedOutputWarning(1, new Float32Array(0), 'mse'), undefined);
});

test('a run is warned of a collapsed model once, however many epochs stay collapsed', () => {
  const watch = new CollapseWatch('mse');
  const black = new Float32Array(20 * 784).fill(0.002);
  assert.equal(
    watch.check(
      1,
      new Float32Array(784).map((_, i) => (i % 7) / 7),
    ),
    undefined,
  );
  assert.match(watch.check(2, black) ?? '', /^Epoch 2: the model outputs nearly the same flat image/);
  assert.equal(watch.check(3, black), undefined);
});
