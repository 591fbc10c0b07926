/**
 * Preview Noise stays current (issue 21, item 5): saving the previewed file previews it again, and a run
 * that starts replaces the preview with the noise that run trains on (its overrides, e.g. a sweep's value).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { previewToRefresh } from '../src/extension/host/previewRefresh';

const shown = { configFile: '/ws/quick.denoise.json' };

test('saving the previewed experiment previews it again; saving another file does not', () => {
  assert.deepEqual(previewToRefresh(shown, { saved: '/ws/quick.denoise.json' }), {
    configFile: '/ws/quick.denoise.json',
    overrides: [],
  });
  assert.equal(previewToRefresh(shown, { saved: '/ws/other.denoise.json' }), undefined);
  assert.equal(
    previewToRefresh(undefined, { saved: '/ws/quick.denoise.json' }),
    undefined,
    'no preview shown: nothing is computed',
  );
});

test('a run that starts shows its own noise, with its overrides', () => {
  const run = { configFile: '/ws/sweep.denoise.json', overrides: ['noise.steps[0].variance=0.01'] };
  assert.deepEqual(previewToRefresh(shown, { runStarted: run }), run);
});
