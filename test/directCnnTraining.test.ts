import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initEngine } from '../src/core/engine/selectEngine';
import { loadBlas } from '../src/core/engine/blas/loadBlas';
import { loadOneDnn } from '../src/core/engine/onednn/loadOneDnn';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { directTraining } from '../src/core/training/directTraining';
import { SeededRandom } from '../src/core/random/seededRandom';
import type { DncnnModel, Model, Training } from '../src/core/config/experimentConfig.generated';
import { assertSameEpochLosses, trainOnce, weightsInLayerOrder, worstDifference } from './helpers/tapeAgainstDirect';
import type { Denoiser } from '../src/core/models/denoiser';
import { wrapModel } from '../src/core/models/wrapModel';
import { trainingConfig } from './helpers/trainingConfig';

const hasBlas = loadBlas(0).blas !== undefined;
before(async () => {
  if (hasBlas) await initEngine('wasm-blas');
});
const noBlas = hasBlas ? false : 'no system BLAS on this machine (CI installs libopenblas0-pthread)';

/**
 * Each test runs twice: where oneDNN is installed (as CI's setup installs it) the residual CNN trains on the
 * general oneDNN plan, which beat this hand-written step on oneDNN in the benchmark and replaced it; without
 * oneDNN, on the hand-written step's BLAS products, which every machine with a BLAS has. DENOISE_ONEDNN_LIB
 * picks.
 */
const stepKinds = [
  {
    name: 'oneDNN',
    /** What the run log says the steps ran on. */
    steps: /^dncnn \S+ steps run directly on a oneDNN .* plan/,
    library: undefined,
    skip:
      noBlas ||
      (loadOneDnn().onednn ? false : `no oneDNN here (CI installs libdnnl2): ${loadOneDnn().problems.join('; ')}`),
  },
  { name: 'BLAS', steps: /^residual CNN \S+ steps run directly on BLAS/, library: 'none', skip: noBlas },
] as const;

function eachStepKind(title: string, body: (kind: (typeof stepKinds)[number]) => Promise<void> | void): void {
  for (const kind of stepKinds) {
    test(`${title} (convolutions on ${kind.name})`, { skip: kind.skip }, async () => {
      const before = process.env.DENOISE_ONEDNN_LIB;
      if (kind.library) process.env.DENOISE_ONEDNN_LIB = kind.library;
      else delete process.env.DENOISE_ONEDNN_LIB;
      try {
        await body(kind);
      } finally {
        if (before === undefined) delete process.env.DENOISE_ONEDNN_LIB;
        else process.env.DENOISE_ONEDNN_LIB = before;
      }
    });
  }
}

// 9x7 images and 150 of them in batches of 64: not square, and the last batch (22) is smaller than the others,
// so stale values a larger batch left on the grids would show.
const image = { height: 9, width: 7 };
const count = 150;
const rng = new SeededRandom(11);
const clean = { pixels: Float32Array.from({ length: count * 63 }, () => rng.next()), count, ...image };
const noisy = {
  pixels: clean.pixels.map((v) => Math.min(1, Math.max(0, v + 0.4 * (rng.next() - 0.5)))),
  count,
  ...image,
};
// 8 channels take the SIMD pass that sums the bias gradient with the ReLU gradient; 6 (below) the fallback.
const dncnn: DncnnModel = { type: 'dncnn', depth: 4, filters: 8, batchNorm: false };
const adam = trainingConfig({
  optimizer: 'adam',
  learningRate: 0.003,
  epochs: 3,
  batchSize: 64,
  seed: 4,
});

const convLayers = (model: tf.LayersModel) => model.layers.filter((l) => l.getClassName() === 'Conv2D');

/** Trains a fresh model (same initial weights each time) and returns its epoch losses and final weights. */
async function train(model: Model, training: Training, directSteps: boolean, freezeFirst = 0) {
  const denoiser = buildDenoiser(model, image, 3);
  convLayers(denoiser.model)
    .slice(0, freezeFirst)
    .forEach((l) => (l.trainable = false));
  return trainOnce(denoiser, training, directSteps, noisy, clean);
}

async function assertSameRun(model: Model, training: Training, freezeFirst = 0) {
  const tape = await train(model, training, false, freezeFirst);
  const direct = await train(model, training, true, freezeFirst);
  const { steps } = stepKinds[process.env.DENOISE_ONEDNN_LIB === 'none' ? 1 : 0];
  assert.ok(
    direct.events.some((e) => e.type === 'log' && new RegExp(steps.source.slice(1)).test(e.message)),
    `the run log says the steps run ${steps}`,
  );
  assert.ok(!tape.events.some((e) => e.type === 'log' && /directly on/.test(e.message)));
  assert.match(direct.result.steps, steps, 'the result (and summary.json) says how the steps ran');
  assert.equal(tape.result.steps, "TensorFlow.js's tape and optimizer");
  assertSameEpochLosses(tape, direct);
  const difference = worstDifference(tape.weights, direct.weights);
  assert.ok(difference < 1e-4, `weights differ by ${difference}`);
  return direct;
}

eachStepKind("a residual CNN with Adam trains directly and ends where TensorFlow.js's tape ends", async () => {
  const direct = await assertSameRun(dncnn, adam);
  const epochs = direct.result.epochs;
  assert.ok(epochs[epochs.length - 1].valLoss < epochs[0].valLoss, 'the loss went down');
  assert.equal(new Set(direct.tensorCounts).size, 1, `tensor counts per epoch: ${direct.tensorCounts.join(', ')}`);
});

eachStepKind('plain SGD with 6 channels, and momentum on a two-layer CNN, also end where the tape ends', async () => {
  await assertSameRun({ ...dncnn, filters: 6 }, { ...adam, optimizer: 'sgd', learningRate: 0.05, epochs: 2 });
  await assertSameRun({ ...dncnn, depth: 2 }, { ...adam, optimizer: 'momentum', learningRate: 0.02, epochs: 2 });
});

/** buildDncnn's wiring with 5x5 filters (the config always asks for 3x3): conv-ReLU, conv-ReLU, conv, add the input. */
function dncnn5x5(): Denoiser {
  const input = tf.input({ shape: [image.height * image.width] });
  const picture = tf.layers.reshape({ targetShape: [image.height, image.width, 1] }).apply(input) as tf.SymbolicTensor;
  let x = picture;
  for (const filters of [5, 4, 1]) {
    x = tf.layers
      .conv2d({
        filters,
        kernelSize: 5,
        padding: 'same',
        kernelInitializer: tf.initializers.glorotUniform({ seed: filters }),
      })
      .apply(x) as tf.SymbolicTensor;
    if (filters > 1) x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  }
  const clean = tf.layers.add().apply([picture, x]) as tf.SymbolicTensor;
  return wrapModel(
    'dncnn',
    tf.model({ inputs: input, outputs: tf.layers.flatten().apply(clean) as tf.SymbolicTensor }),
    image,
    '5x5',
  );
}

eachStepKind(
  '5x5 filters, and channel counts that differ from layer to layer, end where the tape ends',
  async (kind) => {
    const training = { ...adam, epochs: 2 };
    const run = (directSteps: boolean) => trainOnce(dncnn5x5(), training, directSteps, noisy, clean);
    const tape = await run(false);
    const direct = await run(true);
    assert.match(direct.result.steps, kind.steps);
    if (kind.name === 'BLAS') assert.match(direct.result.steps, /3 5x5 convolutions, 5-4-1 channels/);
    tape.result.epochs.forEach((epoch, i) => {
      const other = direct.result.epochs[i].trainLoss;
      assert.ok(
        Math.abs(epoch.trainLoss - other) / epoch.trainLoss < 1e-4,
        `epoch ${i + 1} train loss ${epoch.trainLoss} vs ${other}`,
      );
    });
    const difference = worstDifference(tape.weights, direct.weights);
    assert.ok(difference < 1e-4, `weights differ by ${difference}`);
  },
);

eachStepKind('frozen first layers keep their weights on the direct path, as on the tape', async () => {
  // SGD, not Adam: behind the two frozen layers some input channels are almost dead, their kernels' gradients
  // are sums that nearly cancel, and Adam divides them by their own size, so summation-order noise of 1e-9
  // became differences of 1.5e-4 in the weights. SGD keeps the comparison about the gradients (1e-9 here).
  const direct = await assertSameRun(dncnn, { ...adam, optimizer: 'sgd', learningRate: 0.05, epochs: 2 }, 2);
  const initial = buildDenoiser(dncnn, image, 3);
  const start = weightsInLayerOrder(initial.model);
  initial.model.dispose();
  // Weights 0-3 are the two frozen layers' kernels and biases; the rest trained.
  assert.equal(worstDifference(start.slice(0, 4), direct.weights.slice(0, 4)), 0);
  assert.ok(worstDifference(start.slice(4), direct.weights.slice(4)) > 1e-4, 'the unfrozen layers trained');
});

eachStepKind(
  'the oneDNN plan trains every model where installed; without it only residual CNNs without batch norm, with MSE, train directly',
  (kind) => {
    const eligible = (model: Model, training: Training, shape = image) => {
      const denoiser = buildDenoiser(model, shape, 1);
      const direct = directTraining(denoiser, training);
      direct?.dispose();
      denoiser.model.dispose();
      return direct?.description;
    };
    // With oneDNN every model here goes to the general plan (directPlanTraining.ts); without it the residual
    // CNN takes its hand-written step and the others the tape.
    const elsewhere = (description: string | undefined) =>
      kind.name === 'oneDNN' ? /directly on a oneDNN .* plan/.test(description ?? '') : description === undefined;
    const description = eligible(dncnn, adam) ?? '';
    assert.match(description, kind.steps);
    if (kind.name === 'BLAS') {
      assert.ok(description.endsWith(': 4 3x3 convolutions, 8-8-8-1 channels'), description);
      assert.match(description, /no oneDNN: left out by DENOISE_ONEDNN_LIB=none/);
    }
    assert.ok(elsewhere(eligible({ ...dncnn, batchNorm: true }, adam)), 'batch norm is not on the residual CNN step');
    assert.ok(elsewhere(eligible(dncnn, { ...adam, loss: 'mae' })));
    assert.ok(
      elsewhere(
        eligible(
          { type: 'conv', filters: [8], kernelSize: 3, activation: 'relu', outputActivation: 'sigmoid' } as Model,
          adam,
          { height: 8, width: 8 },
        ),
      ),
    );
  },
);
