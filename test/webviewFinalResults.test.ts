/**
 * A finished run shows its final results on the dashboard, and a model worse than its input is called out
 * (issue 21, item 6): the row arrives with the run's ending, from its folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunRow } from '../src/protocol/webviewMessages';
import { finalResults } from '../webview/state/finalResults';
import { RunStates } from '../webview/state/runState';

const row = (psnr: number, noisyPsnr: number): RunRow => ({
  runDir: '/runs/conv',
  name: 'conv-autoencoder',
  status: 'completed',
  test: { mse: 0.139, psnr, ssim: 0.21 },
  testNoisy: { mse: 0.052, psnr: noisyPsnr, ssim: 0.3 },
  readability: 0.41,
  readabilityNoisy: 0.62,
});

test('the ending brings test PSNR and SSIM against the noisy input, and readability', () => {
  const runs = new RunStates();
  runs.apply({
    type: 'runStarted',
    runId: 'r',
    runName: 'conv-autoencoder',
    runDir: '/runs/conv',
    engine: 'cpu',
    model: 'conv',
    dataset: 'mnist',
    epochs: 3,
    batchesPerEpoch: 10,
  });
  runs.apply({
    type: 'runEnded',
    runId: 'r',
    runDir: '/runs/conv',
    ending: 'completed',
    message: 'Trained 3 epochs.',
    row: row(24.1, 12.79),
  });
  const shown = finalResults(runs.focused?.row);
  assert.deepEqual(shown?.lines, [
    'Test PSNR 24.10 dB (noisy input 12.79 dB, +11.31 dB)',
    'Test SSIM 0.2100 (noisy input 0.3000) · MSE 0.139',
    'Readability 41.0% of denoised test digits (noisy input 62.0%)',
  ]);
  assert.equal(shown?.warning, undefined);
});

test('a model that ends worse than its noisy input is warned about, with what to change', () => {
  const shown = finalResults(row(8.57, 12.8));
  assert.match(shown?.warning ?? '', /^The model's output \(8\.57 dB\) is worse than its noisy input \(12\.80 dB\)/);
  assert.match(shown?.warning ?? '', /training\.learningRate/);
  assert.equal(
    finalResults({ runDir: '/r', name: 'never', status: 'failed' }),
    undefined,
    'a run without figures shows none',
  );
});
