/**
 * `denoise export`: a run trained by `denoise run` becomes an ONNX file whose predictions in ONNX Runtime
 * are the saved model's own; a request the model cannot meet exits with 2 and says why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { loadDenoiser } from '../src/core/models/modelStorage';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { readRunConfig } from '../src/core/runs/listRuns';
import { writeTinyExperiment } from './helpers/tinyExperiment';

const bin = join(__dirname, '..', 'bin', 'denoise');
if (!existsSync(join(__dirname, '..', 'dist', 'cli.js')))
  throw new Error('dist/ is missing: run "npm run build" first (npm test does).');

function denoise(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function trainedRun(model: Record<string, unknown>, name: string): string {
  const file = writeTinyExperiment(
    {
      dataset: { trainSize: 200, valSize: 50, testSize: 50 },
      training: { epochs: 1, batchSize: 25 },
      evaluation: { readability: false },
    },
    name,
  );
  // The helper's model section is a dense one; this run's model replaces it whole.
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), model }));
  const run = denoise('run', file, '--json');
  assert.equal(run.code, 0, run.stderr);
  return String(JSON.parse(run.stdout.trim().split('\n').at(-1)!).runDir);
}

test('export writes the trained DnCNN as ONNX; ONNX Runtime gives its predictions on MNIST-sized and larger images', async () => {
  const runDir = trainedRun({ type: 'dncnn', depth: 3, filters: 4, batchNorm: true }, 'export-dncnn');
  const out = join(runDir, 'exported.onnx');
  const exported = denoise('export', runDir, '--format', 'onnx', '--out', out, '--json');
  assert.equal(exported.code, 0, exported.stderr);
  const info = JSON.parse(exported.stdout) as { out: string; opset: number; signature: string; kind: string };
  assert.deepEqual([info.out, info.opset, info.kind], [out, 13, 'dncnn']);
  assert.equal(info.signature, 'image [batch, 1, height, width] -> denoised [batch, 1, height, width]');

  await tf.setBackend('cpu');
  const config = readRunConfig(runDir)!;
  const session = await ort.InferenceSession.create(readFileSync(out));
  const saved = await loadDenoiser(join(runDir, 'model'), config.model, { height: 28, width: 28 });
  for (const side of [28, 40]) {
    // At 40x40 the saved weights go into the same network built for that size.
    const denoiser = side === 28 ? saved : buildDenoiser(config.model, { height: side, width: side }, 1);
    if (denoiser !== saved) denoiser.model.setWeights(saved.model.getWeights());
    const pixels = tf.randomUniform([2, side * side], 0, 1, 'float32', side).dataSync() as Float32Array;
    const expected = denoiser.predict(tf.tensor2d(pixels, [2, side * side])).dataSync() as Float32Array;
    const { denoised } = await session.run({ image: new ort.Tensor('float32', pixels, [2, 1, side, side]) });
    let max = 0;
    for (let i = 0; i < expected.length; i++)
      max = Math.max(max, Math.abs(expected[i] - (denoised.data as Float32Array)[i]));
    assert.ok(max <= 1e-5, `${side}x${side}: max difference ${max}`);
  }

  const text = denoise('export', runDir);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /-export-dncnn\.onnx\n  dncnn denoiser, ONNX opset 13: image \[batch, 1, height, width\]/);
});

test('export refuses what the model does not have, with exit code 2 and the reason', () => {
  const runDir = trainedRun({ type: 'dense', depth: 3, codeSize: 16 }, 'export-dense');
  const encoder = denoise('export', runDir, '--part', 'encoder');
  assert.equal(encoder.code, 2);
  assert.match(encoder.stderr, /a dense model has no separate encoder; --part encoder is for VAE models/);
  const format = denoise('export', runDir, '--format', 'tflite');
  assert.equal(format.code, 2);
  assert.match(format.stderr, /tflite.*(onnx)/);
  const notARun = denoise('export', join(runDir, 'model'));
  assert.equal(notARun.code, 2);
  assert.match(notARun.stderr, /is not a Denoise Lab run folder/);
});
