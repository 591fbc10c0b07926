import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hysteresisThreshold } from '../src/core/postprocess/hysteresis';

// A hand-made 5x6 image: a strong pixel (0.9) joined through weak pixels (0.5) along a diagonal, a weak
// island (0.5) touching nothing strong, and faint background (0.1).
const W = 6;
const pixels = Float32Array.from([
  0.9, 0.1, 0.1, 0.1, 0.1, 0.5, 0.1, 0.5, 0.1, 0.1, 0.1, 0.5, 0.1, 0.1, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1,
  0.1, 0.7, 0.1, 0.1, 0.1, 0.1, 0.1,
]);

test('hysteresis keeps strong pixels and weak pixels connected to them, drops weak islands and background', () => {
  const out = hysteresisThreshold({ pixels, count: 1, height: 5, width: W }, 0.3, 0.6);
  const kept = [...out].flatMap((v, i) => (v === 1 ? [i] : []));
  assert.deepEqual(kept, [0, 1 * W + 1, 2 * W + 2, 4 * W + 0]);
  assert.ok(out.every((v) => v === 0 || v === 1));
});

test('hysteresis with low = high is a plain threshold; low > high is refused', () => {
  const out = hysteresisThreshold({ pixels, count: 1, height: 5, width: W }, 0.4, 0.4);
  assert.equal(out.filter((v) => v === 1).length, 6);
  assert.throws(() => hysteresisThreshold({ pixels, count: 1, height: 5, width: W }, 0.7, 0.6), /low <= high/);
});

test('each image of a batch is thresholded on its own', () => {
  const two = new Float32Array(60);
  two.set(pixels, 0);
  two[30 + 8] = 0.5; // weak pixel in image 2, next to the strong pixel of image 1 only in the flat buffer
  const out = hysteresisThreshold({ pixels: two, count: 2, height: 5, width: W }, 0.3, 0.6);
  assert.equal(out[30 + 8], 0);
  assert.equal(out[0], 1);
});
