import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import type { ExperimentConfig } from '../src/core/config/experimentConfig.generated';
import { validateConfig } from '../src/core/config/validateConfig';
import { initEngine } from '../src/core/engine/selectEngine';
import { loadBlas } from '../src/core/engine/blas/loadBlas';
import { loadOneDnn } from '../src/core/engine/onednn/loadOneDnn';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { SeededRandom } from '../src/core/random/seededRandom';
import { directTraining } from '../src/core/training/directTraining';
import { tapeStepStrategy } from '../src/core/training/tapeStep';
import { weightsInLayerOrder, worstDifference } from './helpers/tapeAgainstDirect';

/*
 * Noise2Void's masked loss on the fast paths: the hand-written residual-CNN step cannot weight its loss, so
 * a noise2void run passes it over for the oneDNN plan (which can) or, without oneDNN, the tape; the plan's
 * weighted step matches the tape's.
 */

const hasBlas = loadBlas(0).blas !== undefined;
const hasPlan = hasBlas && loadOneDnn().onednn !== undefined;
before(async () => {
  if (hasBlas) await initEngine('wasm-blas');
});

const image = { height: 16, width: 16, channels: 1 };
const model = { type: 'dncnn', depth: 4, filters: 8, batchNorm: false };

function config(target: string): ExperimentConfig {
  const result = validateConfig({
    name: 'steps',
    dataset: { source: 'imageFolder', trainFolder: 'x' },
    noise: { steps: [{ type: 'gaussian255', sigma: 25 }] },
    model,
    training: { target, optimizer: 'adam', learningRate: 0.01, batchSize: 4 },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

test('a noise2void run never takes the hand-written residual step; the plan takes it where oneDNN is', () => {
  const n2v = config('noise2void');
  const denoiser = buildDenoiser(n2v.model, image, 5);
  const describe = (training: typeof n2v.training) => {
    const strategy = directTraining(denoiser, training);
    strategy?.dispose();
    return strategy?.description;
  };
  if (hasPlan) {
    assert.match(describe(n2v.training) ?? 'the tape', /oneDNN .* plan/);
    assert.match(describe(config('clean').training) ?? 'the tape', /oneDNN .* plan/, 'so does a supervised run');
  }
  if (hasBlas) {
    // Without oneDNN the hand-written step (BLAS products) takes the supervised run, and the tape Noise2Void.
    const before = process.env.DENOISE_ONEDNN_LIB;
    process.env.DENOISE_ONEDNN_LIB = 'none';
    try {
      assert.equal(describe(n2v.training), undefined, 'without oneDNN the tape trains it');
      assert.match(describe(config('clean').training) ?? '', /^residual CNN/, 'a supervised run takes the step');
    } finally {
      if (before === undefined) delete process.env.DENOISE_ONEDNN_LIB;
      else process.env.DENOISE_ONEDNN_LIB = before;
    }
  }
  denoiser.model.dispose();
});

test('the plan’s masked-loss steps match the tape’s: same losses, same weights', () => {
  const { model: m, training } = config('noise2void');
  if (!hasPlan) {
    // Where no plan runs, the tape's steps are the only ones (the first test checks that).
    assert.equal(directTraining(buildDenoiser(m, image, 5), training), undefined);
    return;
  }
  const rng = new SeededRandom(2);
  const n = 4;
  const size = n * 16 * 16;
  const x = Float32Array.from({ length: size }, () => rng.next());
  const y = Float32Array.from({ length: size }, () => rng.next());
  const w = Float32Array.from({ length: size }, () => (rng.next() < 0.05 ? 1 : 0));
  const onPlan = buildDenoiser(m, image, 5);
  const onTape = buildDenoiser(m, image, 5);
  const plan = directTraining(onPlan, training)!;
  const tape = tapeStepStrategy(onTape, training);
  plan.loadWeights();
  for (let step = 0; step < 3; step++) {
    const a = plan.step(x, y, n, 0.01, w);
    const b = tape.step(x, y, n, 0.01, w);
    assert.ok(Math.abs(a - b) / b < 1e-4, `step ${step}: plan ${a} vs tape ${b}`);
  }
  plan.storeWeights();
  const worst = worstDifference(weightsInLayerOrder(onTape.model), weightsInLayerOrder(onPlan.model));
  assert.ok(worst < 1e-4, `weights differ by ${worst}`);
  // The unweighted step would have trained on every value: a different result.
  const unweighted = buildDenoiser(m, image, 5);
  const plain = tapeStepStrategy(unweighted, training);
  plain.step(x, y, n, 0.01);
  assert.ok(worstDifference(weightsInLayerOrder(unweighted.model), weightsInLayerOrder(onTape.model)) > 1e-3);
  for (const s of [plan, tape, plain]) s.dispose();
  for (const d of [onPlan, onTape, unweighted]) d.model.dispose();
});
