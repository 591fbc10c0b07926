import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { applyRun } from '../src/core/apply/applyRun';
import { channelMeans, noiseLevelHint, scaleAroundMean } from '../src/core/apply/noiseLevelHint';
import type { Noise } from '../src/core/config/experimentConfig.generated';
import { loadConfig } from '../src/core/config/loadConfig';
import { runExperiment } from '../src/core/experiment/runExperiment';
import { loadDenoiser } from '../src/core/models/modelStorage';
import { WholeImagePredictor } from '../src/core/models/wholeImagePredictor';
import { grayPng } from './helpers/imageFiles';

/* denoise apply --sigma: the noise level of the input told to a model trained at one σ, per kind of model. */

const noise = (steps: Noise['steps']): Pick<{ noise: Noise }, 'noise'> => ({
  noise: { steps, seed: 0, mode: 'fixed', clip: false, quantize: false },
});
const g255 = (over: Record<string, unknown> = {}) =>
  ({ type: 'gaussian255', sigma: 25, blind: false, sigmaMin: 0, sigmaMax: 55, ...over }) as Noise['steps'][number];

test('a σ-specific model scales the input by σ_train/σ; a blind one only outside its range; others refuse', () => {
  assert.equal(noiseLevelHint(noise([g255()]), 50).scale, 0.5);
  assert.match(noiseLevelHint(noise([g255()]), 50).note, /trained at σ 25; input scaled by 0\.5/);
  assert.ok(Math.abs(noiseLevelHint(noise([{ type: 'gaussian', mean: 0, variance: 0.01 }]), 51).scale - 0.5) < 1e-9);
  const blind = noise([g255({ blind: true, sigmaMin: 5, sigmaMax: 55 })]);
  assert.equal(noiseLevelHint(blind, 30).scale, 1, 'inside the blind range: no hint needed');
  assert.equal(noiseLevelHint(blind, 110).scale, 0.5, 'beyond it: to the nearest end');
  assert.equal(noiseLevelHint(blind, 2).scale, 2.5);
  assert.throws(() => noiseLevelHint(noise([]), 25), /no σ to match/);
  assert.throws(() => noiseLevelHint(noise([{ type: 'saltPepper', amount: 0.1, saltRatio: 0.5 }]), 25), /saltPepper/);
  assert.throws(() => noiseLevelHint(noise([g255()]), 0), /above 0/);
});

test('scaling around the mean brings noise of σ to σ_train and returns the picture unchanged', () => {
  const pixels = Float32Array.from({ length: 3000 }, (_, i) => 0.3 + 0.2 * Math.sin(i) + (i % 3) * 0.1);
  const means = channelMeans(pixels, 3);
  assert.ok(Math.abs(means[2] - (means[0] + 0.2)) < 1e-3, 'one mean per channel');
  const scaled = pixels.slice();
  scaleAroundMean(scaled, 3, 0.5, means);
  assert.ok(Math.abs(scaled[4] - means[1] - 0.5 * (pixels[4] - means[1])) < 1e-6, 'deviations halve');
  scaleAroundMean(scaled, 3, 2, means);
  assert.ok(
    scaled.every((v, i) => Math.abs(v - pixels[i]) < 1e-6),
    'and come back',
  );
});

test('denoise apply --sigma feeds the model the scaled input and scales its output back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'denoise-sigma-'));
  mkdirSync(join(dir, 'train'));
  const picture = (x: number, y: number) =>
    ((Math.floor(x / 6) + Math.floor(y / 5)) % 3) * 60 + 50 + ((x * 7 + y * 13) % 23);
  for (let i = 0; i < 2; i++)
    writeFileSync(
      join(dir, 'train', `t${i}.png`),
      grayPng(32, 32, (x, y) => picture(x + i, y)),
    );
  writeFileSync(
    join(dir, 'e.denoise.json'),
    JSON.stringify({
      name: 'sigma',
      dataset: { source: 'imageFolder', trainFolder: 'train', testFolder: 'train', valFraction: 0.5 },
      noise: { steps: [{ type: 'gaussian255', sigma: 25 }] },
      model: { type: 'dncnn', depth: 3, filters: 4, batchNorm: false },
      training: { epochs: 1, batchSize: 8, patchSize: 16, patchesPerEpoch: 16 },
      evaluation: { sampleImages: 0, readability: false, baselines: [] },
      output: { runsDir: 'runs' },
    }),
  );
  const { runDir } = await runExperiment(loadConfig(join(dir, 'e.denoise.json')));
  const input = join(dir, 'in.png');
  writeFileSync(input, grayPng(40, 24, picture));
  const read = async (file: string) =>
    Float32Array.from(await sharp(file).toColourspace('b-w').raw().toBuffer(), (v) => v / 255);
  const original = await read(input);
  assert.equal(original.length, 40 * 24);
  const means = channelMeans(original, 1);
  const notes: string[] = [];
  await applyRun(runDir, [input], { out: join(dir, 'hinted'), sigma: 50 }, (e) => {
    if (e.type === 'started' && e.sigmaHint) notes.push(e.sigmaHint);
  });
  await applyRun(runDir, [input], { out: join(dir, 'plain') });
  await applyRun(runDir, [input], { out: join(dir, 'same'), sigma: 25 });
  assert.deepEqual(notes, ['σ 50: the model was trained at σ 25; input scaled by 0.5 around its mean, and back']);
  const [hinted, plain, same] = await Promise.all(['hinted', 'plain', 'same'].map((d) => read(join(dir, d, 'in.png'))));
  assert.deepEqual(same, plain, 'σ equal to the training σ changes nothing');
  assert.notDeepEqual(hinted, plain, 'another σ changes the output');
  // By hand: the same model on the input scaled by 25/50 around its mean, its output scaled back by 2.
  const config = loadConfig(join(runDir, 'config.json')).config;
  const trained = await loadDenoiser(join(runDir, 'model'), config.model, { height: 16, width: 16, channels: 1 });
  const predictor = new WholeImagePredictor(trained, config.model);
  const scaled = original.slice();
  scaleAroundMean(scaled, 1, 0.5, means);
  const expected = predictor.predict({ name: 'in.png', pixels: scaled, height: 24, width: 40, channels: 1 });
  scaleAroundMean(expected, 1, 2, means);
  predictor.dispose();
  trained.model.dispose();
  const worst = hinted.reduce((m, v, i) => Math.max(m, Math.abs(v - Math.min(1, Math.max(0, expected[i])))), 0);
  assert.ok(
    worst <= 1 / 255,
    `the hinted output is the scaled-back output of the scaled input (off by ${worst * 255} levels)`,
  );
});
