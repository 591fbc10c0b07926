import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { onednn, planSkip, startBlasEngineBeforeTests } from './helpers/planPrerequisites';
import { lowerLayerGraph, type LayerGraph } from '../src/core/engine/plan/layerGraph';
import { TrainingPlan } from '../src/core/engine/plan/trainingPlan';
import { klDivergenceLoss } from '../src/core/engine/plan/klDivergenceLoss';
import type { PlanLossKind } from '../src/core/engine/plan/planLoss';
import { reconstructionLoss } from '../src/core/evaluation/losses';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { klDivergence } from '../src/core/models/variationalAutoencoder';
import { SeededRandom } from '../src/core/random/seededRandom';

/*
 * The dense operations of the oneDNN training plan (Dense layers with fused or separate activations, softplus,
 * elementwise products, two inputs and three outputs, the VAE's KL term) against TensorFlow.js's tape: one
 * step's loss and the gradient of every trainable array, on odd sizes and a batch shorter than the plan's.
 */

startBlasEngineBeforeTests();

type Sym = tf.SymbolicTensor;
const init = (seed: number) => tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed });
let seed = 1;
const dense = (x: Sym, units: number, more: Partial<Parameters<typeof tf.layers.dense>[0]> = {}) =>
  tf.layers.dense({ units, kernelInitializer: init(seed++), biasInitializer: init(seed++), ...more }).apply(x) as Sym;

const variableOf = (v: tf.LayerVariable) => (v as unknown as { val: tf.Variable }).val;

interface StepCase {
  model: tf.LayersModel;
  loss: PlanLossKind;
  /** The rows of the model's second input, the same for the plan and the tape (the VAE's noise). */
  second?: (n: number) => Float32Array;
  /** The VAE's KL term: its weight, on outputs 1 (mean) and 2 (spread). */
  klScale?: number;
}

/** One step on the plan and on the tape: the losses, and the worst gradient difference relative to its largest. */
function compareStep({ model, loss, second, klScale }: StepCase, n = 5, planBatch = 8) {
  const graph = lowerLayerGraph(model);
  assert.equal(typeof graph, 'object', `the model lowers into a plan (${String(graph)})`);
  const extra = klScale === undefined ? undefined : klDivergenceLoss(klScale, 1, 2);
  const plan = new TrainingPlan(onednn!, graph as LayerGraph, planBatch, 2, { reconstruction: loss, extra });
  const inSize = model.inputs[0].shape[1]!;
  const outSize = model.outputs[0].shape[1]!;
  const rng = new SeededRandom(5);
  const rows = (count: number, size: number) => Float32Array.from({ length: count * size }, () => rng.next());
  try {
    for (const w of plan.weights) w.values.set(w.weight.variable.read().dataSync() as Float32Array);
    // A larger batch first, so values it left in the buffers would show in the smaller one.
    if (second) plan.input(1, planBatch).set(second(planBatch));
    plan.gradients(rows(planBatch, inSize), rows(planBatch, outSize), planBatch);
    const x = rows(n, inSize);
    const y = rows(n, outSize);
    const secondRows = second?.(n);
    if (secondRows) plan.input(1, n).set(secondRows);
    const planLoss = plan.gradients(x, y, n);
    const variables = model.trainableWeights.map(variableOf);
    const { value, grads } = tf.variableGrads(() => {
      const inputs = [tf.tensor2d(x, [n, inSize])];
      if (secondRows) inputs.push(tf.tensor2d(secondRows, [n, secondRows.length / n]));
      const outputs = model.apply(inputs.length > 1 ? inputs : inputs[0], { training: true }) as
        tf.Tensor2D | tf.Tensor2D[];
      const [output, mu, sigma] = Array.isArray(outputs) ? outputs : [outputs];
      const recon = reconstructionLoss(loss, tf.tensor2d(y, [n, outSize]), output);
      return klScale === undefined ? recon : tf.add(recon, tf.mul(klDivergence(mu, sigma), klScale));
    }, variables);
    const tapeLoss = value.dataSync()[0];
    const trained = plan.weights.filter((w) => w.gradient.length > 0);
    assert.equal(trained.length, variables.length, 'the plan trains exactly the trainable arrays');
    let worst = 0;
    for (const w of trained) {
      const g = grads[variableOf(w.weight.variable).name].dataSync();
      const scale = Math.max(...Array.from(g, Math.abs));
      assert.ok(scale > 0, `${w.weight.variable.name} has a gradient`);
      g.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - w.gradient[i]) / scale)));
    }
    tf.dispose([value, ...Object.values(grads)]);
    return { planLoss, tapeLoss, worst, graph: graph as LayerGraph };
  } finally {
    plan.dispose();
  }
}

function assertSameStep(step: StepCase, n = 5) {
  const { planLoss, tapeLoss, worst, graph } = compareStep(step, n);
  assert.ok(Math.abs(planLoss - tapeLoss) / tapeLoss < 1e-5, `loss ${planLoss} on the plan, ${tapeLoss} on the tape`);
  assert.ok(worst < 1e-4, `gradients differ by ${worst} of the largest`);
  step.model.dispose();
  return graph;
}

test(
  'dense layers with fused activations (ReLU, tanh, ELU, leaky ReLU, sigmoid), one without bias, BCE',
  { skip: planSkip },
  () => {
    const input = tf.input({ shape: [13] });
    let x = dense(input, 11, { activation: 'relu' });
    x = dense(x, 7, { activation: 'tanh', useBias: false });
    x = dense(x, 9);
    x = tf.layers.activation({ activation: 'elu' }).apply(x) as Sym;
    x = dense(x, 6);
    x = tf.layers.leakyReLU({ alpha: 0.2 }).apply(x) as Sym;
    const graph = assertSameStep({
      model: tf.model({ inputs: input, outputs: dense(x, 10, { activation: 'sigmoid' }) }),
      loss: 'bce',
    });
    assert.deepEqual(
      graph.nodes.map((node) => node.op),
      ['dense', 'dense', 'dense', 'dense', 'dense'],
      'every activation layer ran as its Dense layer post-op',
    );
  },
);

test(
  'softplus (its gradient reads its input), a product of two branches, a tensor read twice, MSE',
  { skip: planSkip },
  () => {
    const input = tf.input({ shape: [12] });
    const shared = dense(input, 8, { activation: 'relu' });
    const spread = dense(shared, 5, { activation: 'softplus' });
    const other = dense(shared, 5, { activation: 'tanh' });
    let x = tf.layers.multiply().apply([spread, other]) as Sym;
    x = tf.layers.add().apply([x, dense(shared, 5)]) as Sym;
    x = tf.layers.multiply().apply([x, x]) as Sym;
    assertSameStep({ model: tf.model({ inputs: input, outputs: dense(x, 7) }), loss: 'mse' });
  },
);

test('a Dense layer between convolutions (flattened, reshaped back), a frozen one, MAE', { skip: planSkip }, () => {
  const input = tf.input({ shape: [9 * 7] });
  let x = tf.layers.reshape({ targetShape: [9, 7, 1] }).apply(input) as Sym;
  x = tf.layers
    .conv2d({
      filters: 3,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(seed++),
    })
    .apply(x) as Sym; // 5x4x3
  x = tf.layers.flatten().apply(x) as Sym;
  x = dense(x, 10, { activation: 'relu', name: 'frozen' });
  x = dense(x, 5 * 4 * 2, { activation: 'relu' });
  x = tf.layers.reshape({ targetShape: [5, 4, 2] }).apply(x) as Sym;
  x = tf.layers
    .conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'valid', kernelInitializer: init(seed++) })
    .apply(x) as Sym; // 11x9
  const model = tf.model({ inputs: input, outputs: tf.layers.flatten().apply(x) as Sym });
  model.getLayer('frozen').trainable = false;
  assertSameStep({ model, loss: 'mae' });
});

test(
  'the VAE: image and noise in, reconstruction, mean and spread out, BCE plus the KL term, one fixed noise draw',
  { skip: planSkip },
  () => {
    const pixels = 6 * 5;
    const vae = buildDenoiser(
      { type: 'vae', hiddenSizes: [9, 7], latentSize: 3, klWeight: 2, activation: 'elu' },
      { height: 6, width: 5 },
      3,
    );
    const latent = vae.latentTraining!;
    assert.equal(latent.klScale, 2 / pixels, 'the KL term is weighted per pixel');
    const noise = new SeededRandom(8);
    const eps = new Float32Array(8 * latent.size).map(() => 2 * noise.next() - 1);
    const graph = assertSameStep({
      model: vae.model,
      loss: 'bce',
      second: (n) => eps.subarray(0, n * latent.size),
      klScale: latent.klScale,
    });
    assert.equal(graph.inputs.length, 2);
    assert.equal(graph.outputs.length, 3);
  },
);

test('a model output that no loss reads is refused', { skip: planSkip }, () => {
  const input = tf.input({ shape: [4] });
  const a = dense(input, 3);
  const b = dense(input, 2);
  const model = tf.model({ inputs: input, outputs: [a, b] });
  const graph = lowerLayerGraph(model) as LayerGraph;
  assert.throws(() => new TrainingPlan(onednn!, graph, 4, 2, 'mse'), /no loss reads the model's output 1/);
  model.dispose();
});
