import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EarlyStopping } from '../src/core/training/earlyStopping';

test('early stopping says stop once patience epochs have not beaten the best loss, and names the best epoch', () => {
  const stopping = new EarlyStopping(2, 0);
  const best = [0.5, 0.4, 0.45, 0.41].map((loss, i) => stopping.record(i + 1, loss));
  assert.deepEqual(best, [true, true, false, false]);
  assert.equal(stopping.bestEpoch, 2);
  assert.equal(stopping.shouldStop(), true);
});

test('a new best loss restarts the patience count', () => {
  const stopping = new EarlyStopping(2, 0);
  [0.5, 0.6, 0.3, 0.4].forEach((loss, i) => stopping.record(i + 1, loss));
  assert.equal(stopping.bestEpoch, 3);
  assert.equal(stopping.shouldStop(), false);
});

test('an improvement no larger than minDelta does not count as a new best', () => {
  const stopping = new EarlyStopping(1, 0.01);
  stopping.record(1, 0.5);
  assert.equal(stopping.record(2, 0.495), false);
  assert.equal(stopping.bestEpoch, 1);
  assert.equal(stopping.shouldStop(), true);
  assert.equal(stopping.record(3, 0.48), true);
});

test('without a patience it tracks the best epoch but never says stop', () => {
  const stopping = new EarlyStopping(undefined, 0);
  [0.2, 0.3, 0.4, 0.5, 0.6].forEach((loss, i) => stopping.record(i + 1, loss));
  assert.equal(stopping.bestEpoch, 1);
  assert.equal(stopping.shouldStop(), false);
  assert.equal(new EarlyStopping(3, 0).bestEpoch, 0, 'no best epoch before any loss');
});
