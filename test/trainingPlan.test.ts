import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { onednn, planSkip, startBlasEngineBeforeTests } from './helpers/planPrerequisites';
import { lowerLayerGraph } from '../src/core/engine/plan/layerGraph';
import { TrainingPlan } from '../src/core/engine/plan/trainingPlan';
import { inferencePlan } from '../src/core/engine/plan/inferencePlan';
import { blockedTensors, convLayout } from '../src/core/engine/plan/blockedLayout';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import type { PlanLossKind } from '../src/core/engine/plan/planLoss';
import type { DncnnModel } from '../src/core/config/experimentConfig.generated';
import { reconstructionLoss } from '../src/core/evaluation/losses';
import { SeededRandom } from '../src/core/random/seededRandom';

/*
 * Each layer type of the oneDNN training plan against TensorFlow.js's tape: one step's loss and the gradient
 * of every trainable array, on small models of odd image sizes (9x7), and batches smaller than the plan's.
 */

startBlasEngineBeforeTests();

const H = 9;
const W = 7;
const init = (seed: number) => tf.initializers.randomUniform({ minval: -0.4, maxval: 0.4, seed });
type Sym = tf.SymbolicTensor;

/** A model from the flat H*W input: `body` gets the [H, W, 1] picture and returns the last spatial tensor. */
function modelOf(body: (picture: Sym, seed: () => number) => Sym): tf.LayersModel {
  let seed = 1;
  const input = tf.input({ shape: [H * W] });
  const picture = tf.layers.reshape({ targetShape: [H, W, 1] }).apply(input) as Sym;
  const output = tf.layers.flatten().apply(body(picture, () => seed++)) as Sym;
  return tf.model({ inputs: input, outputs: output });
}

const conv = (
  x: Sym,
  filters: number,
  seed: () => number,
  more: Partial<Parameters<typeof tf.layers.conv2d>[0]> = {},
) =>
  tf.layers
    .conv2d({
      filters,
      kernelSize: 3,
      padding: 'same',
      kernelInitializer: init(seed()),
      biasInitializer: init(seed()),
      ...more,
    })
    .apply(x) as Sym;

/** The worst gradient difference relative to the largest gradient of its array, and the losses. */
function compareStep(model: tf.LayersModel, loss: PlanLossKind, n: number, planBatch = 8) {
  const graph = lowerLayerGraph(model);
  assert.equal(typeof graph, 'object', `the model lowers into a plan (${String(graph)})`);
  const plan = new TrainingPlan(onednn!, graph as Exclude<typeof graph, string>, planBatch, 2, loss);
  const inSize = H * W;
  const outSize = model.outputs[0].shape[1]!;
  const rng = new SeededRandom(5);
  const x = Float32Array.from({ length: n * inSize }, () => rng.next());
  const y = Float32Array.from({ length: n * outSize }, () => rng.next());
  try {
    for (const w of plan.weights) w.values.set(w.weight.variable.read().dataSync() as Float32Array);
    // A larger batch first, so values it left in the buffers would show in the smaller one.
    if (n < planBatch) {
      const big = Float32Array.from({ length: planBatch * inSize }, () => rng.next());
      plan.gradients(
        big,
        Float32Array.from({ length: planBatch * outSize }, () => rng.next()),
        planBatch,
      );
    }
    const planLoss = plan.gradients(x, y, n);
    const variables = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const { value, grads } = tf.variableGrads(
      () =>
        reconstructionLoss(
          loss,
          tf.tensor2d(y, [n, outSize]),
          model.apply(tf.tensor2d(x, [n, inSize]), { training: true }) as tf.Tensor,
        ),
      variables,
    );
    const tapeLoss = value.dataSync()[0];
    const trained = plan.weights.filter((w) => w.gradient.length > 0);
    assert.equal(trained.length, variables.length, 'the plan trains exactly the trainable arrays');
    let worst = 0;
    for (const w of trained) {
      const g = grads[(w.weight.variable as unknown as { val: tf.Variable }).val.name].dataSync();
      const scale = Math.max(...Array.from(g, Math.abs));
      g.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - w.gradient[i]) / scale)));
    }
    tf.dispose([value, ...Object.values(grads)]);
    const moving = plan.weights
      .filter((w) => !w.weight.variable.trainable)
      .map((w) => ({ variable: w.weight.variable, values: w.values.slice() }));
    return { planLoss, tapeLoss, worst, moving, implementations: [...plan.implementations] };
  } finally {
    plan.dispose();
  }
}

function assertSameStep(model: tf.LayersModel, loss: PlanLossKind, n = 5, bound = 1e-4) {
  const { planLoss, tapeLoss, worst } = compareStep(model, loss, n);
  assert.ok(Math.abs(planLoss - tapeLoss) / tapeLoss < 1e-5, `loss ${planLoss} on the plan, ${tapeLoss} on the tape`);
  assert.ok(worst < bound, `gradients differ by ${worst} of the largest`);
  model.dispose();
}

test('stride-1 and stride-2 convolutions with fused activations, MSE', { skip: planSkip }, () => {
  assertSameStep(
    modelOf((p, s) => {
      let x = conv(p, 4, s, { activation: 'relu' });
      x = conv(x, 5, s, { strides: 2, activation: 'tanh' }); // 9x7 -> 5x4, TensorFlow.js pads the odd extra row after
      x = conv(x, 3, s, { kernelSize: 1, activation: 'elu' });
      return tf.layers
        .conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'valid', kernelInitializer: init(s()) })
        .apply(x) as Sym;
    }),
    'mse',
  );
});

test(
  'transposed convolutions (kernel 3 and 2, stride 2, same padding) and a sigmoid output, binary cross-entropy',
  { skip: planSkip },
  () => {
    assertSameStep(
      modelOf((p, s) => {
        let x = conv(p, 4, s, { strides: 2, activation: 'relu' }); // 5x4
        x = tf.layers
          .conv2dTranspose({
            filters: 3,
            kernelSize: 3,
            strides: 2,
            padding: 'same',
            kernelInitializer: init(s()),
            biasInitializer: init(s()),
          })
          .apply(x) as Sym; // 10x8
        x = tf.layers
          .conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2, padding: 'same', kernelInitializer: init(s()) })
          .apply(x) as Sym; // 20x16
        return conv(x, 1, s, { strides: 2, activation: 'sigmoid' }); // 10x8
      }),
      'bce',
    );
  },
);

/*
 * Strided transposed convolutions run as one stride-1 convolution per output phase (transposedConvPhases.ts):
 * kernels larger than twice the stride, a kernel the stride divides, unequal strides, and output sides the
 * stride does not divide, each against the tape.
 */
test(
  'transposed convolutions of other kernels and strides (4 and 5 by 2, 3 by 3, 3x2 by 1x2), odd outputs',
  { skip: planSkip },
  () => {
    const up = (
      x: Sym,
      s: () => number,
      kernelSize: number | [number, number],
      strides: number | [number, number],
      padding: 'same' | 'valid',
    ) =>
      tf.layers
        .conv2dTranspose({
          filters: 3,
          kernelSize,
          strides,
          padding,
          activation: 'relu',
          kernelInitializer: init(s()),
          biasInitializer: init(s()),
        })
        .apply(x) as Sym;
    assertSameStep(
      modelOf((p, s) => {
        let x = conv(p, 4, s, { strides: 3, activation: 'relu' }); // 9x7 -> 3x3
        x = up(x, s, 4, 2, 'same'); // 6x6
        x = up(x, s, 5, 2, 'valid'); // 15x15
        x = conv(x, 2, s, { strides: 3 }); // 5x5
        x = up(x, s, 3, 3, 'same'); // 15x15
        x = up(x, s, [3, 2], [1, 2], 'valid'); // 17x30
        return conv(x, 1, s, { strides: 2, activation: 'sigmoid' });
      }),
      'mse',
    );
  },
);

test(
  'separate activation layers (leaky ReLU, ReLU, sigmoid, tanh, linear) and mean absolute error',
  { skip: planSkip },
  () => {
    assertSameStep(
      modelOf((p, s) => {
        let x = conv(p, 4, s);
        x = tf.layers.leakyReLU({ alpha: 0.2 }).apply(x) as Sym;
        const branch = tf.layers.reLU().apply(x) as Sym; // x has two readers: its activation is not fused
        x = tf.layers.activation({ activation: 'tanh' }).apply(x) as Sym;
        x = tf.layers.add().apply([x, branch]) as Sym;
        x = tf.layers.activation({ activation: 'linear' }).apply(x) as Sym;
        x = conv(x, 1, s);
        return tf.layers.activation({ activation: 'sigmoid' }).apply(x) as Sym;
      }),
      'mae',
    );
  },
);

/** Whether this CPU has AVX-512, where oneDNN 2.x has its Winograd convolutions. */
const avx512 = (() => {
  try {
    return /\bavx512f\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
})();

test(
  'Winograd convolutions on channel-blocked tensors, with batch norm, a residual sum and copies at each change of layout',
  { skip: planSkip },
  () => {
    const model = modelOf((p, s) => {
      // One channel in: read as NCHW by the blocked first layer, no copy. No bias before batch norm: its
      // gradient is zero but for rounding, which a comparison relative to its largest would magnify.
      let x = conv(p, 16, s, { useBias: false });
      x = tf.layers.batchNormalization({ gammaInitializer: init(s()), betaInitializer: init(s()) }).apply(x) as Sym;
      const skip = tf.layers.reLU().apply(x) as Sym;
      x = conv(skip, 16, s, { useBias: false }); // 16 -> 16, 3x3: Winograd
      x = tf.layers.batchNormalization({ gammaInitializer: init(s()), betaInitializer: init(s()) }).apply(x) as Sym;
      x = tf.layers.reLU().apply(x) as Sym;
      x = tf.layers.add().apply([x, skip]) as Sym; // both blocked
      x = conv(x, 3, s); // 16 -> 3: NHWC out, reads a copy of its blocked input
      x = conv(x, 32, s, { activation: 'relu' }); // 3 -> 32: blocked out, reads an NCHW copy
      x = conv(x, 16, s); // Winograd
      return conv(x, 1, s); // reads an NHWC copy
    });
    const { planLoss, tapeLoss, worst, implementations } = compareStep(model, 'mse', 5);
    model.dispose();
    assert.ok(Math.abs(planLoss - tapeLoss) / tapeLoss < 1e-5, `loss ${planLoss} on the plan, ${tapeLoss} on the tape`);
    // Winograd's transforms round differently from a direct sum: 2.6e-6 of the largest here (2-core Zen 4).
    assert.ok(worst < 1e-4, `gradients differ by ${worst} of the largest`);
    if (avx512)
      assert.ok(
        implementations.some((i) => i.includes('wino')),
        `an AVX-512 machine runs the 16-channel 3x3 layers with Winograd: ${implementations.join(', ')}`,
      );
  },
);

test('which tensors are blocked: those around Winograd convolutions, never the ends or what a pool reads', () => {
  const tensors = (model: tf.LayersModel) => {
    const graph = lowerLayerGraph(model);
    assert.ok(typeof graph === 'object', String(graph));
    const blocked = blockedTensors(graph);
    const convs = graph.nodes.filter((n) => n.op === 'conv');
    const layouts = convs.map((n) => convLayout(n, blocked));
    model.dispose();
    return { graph, blocked, layouts };
  };
  const dncnn = tensors(modelOf((p, s) => conv(conv(conv(p, 16, s), 16, s), 1, s)));
  assert.deepEqual(
    dncnn.layouts.map((l) => [l.blocked, l.input, l.winograd]),
    [
      [true, 'planar', false],
      [true, 'as is', true],
      [false, { copy: 'nhwc' }, false],
    ],
  );
  for (const t of [dncnn.graph.input, dncnn.graph.output]) assert.equal(dncnn.blocked.has(t), false);
  // A stride-2 convolution and a pool: no Winograd, so nothing is blocked (copies would buy nothing).
  const strided = tensors(
    modelOf((p, s) => {
      const x = conv(p, 16, s, { strides: 2 });
      return conv(tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }).apply(x) as Sym, 1, s);
    }),
  );
  assert.equal(strided.blocked.size, 0);
  assert.ok(strided.layouts.every((l) => l.input === 'as is' && !l.winograd));
  // 24 channels are not whole blocks of 16: NHWC.
  const odd = tensors(modelOf((p, s) => conv(conv(p, 24, s), 1, s)));
  assert.equal(odd.blocked.size, 0);
});

/*
 * Max-pooling reads ReLU outputs here, as in the U-Net: TensorFlow.js 4.22's wasm MaxPoolGrad sends a window's
 * gradient to its first element when every value in it is negative (its cpu backend and oneDNN send it to the
 * largest), so on negative windows the tape, not the plan, is wrong.
 */
test(
  'max-pooling on odd sizes, concatenation of skips, a tensor read by two layers (a U-Net level)',
  { skip: planSkip },
  () => {
    assertSameStep(
      modelOf((p, s) => {
        const skip1 = conv(p, 3, s, { activation: 'relu' });
        let x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(skip1) as Sym; // 9x7 -> 4x3, last row and column out
        x = conv(x, 6, s, { activation: 'relu' });
        x = tf.layers
          .conv2dTranspose({
            filters: 3,
            kernelSize: 3,
            strides: 2,
            padding: 'valid',
            activation: 'relu',
            kernelInitializer: init(s()),
            biasInitializer: init(s()),
          })
          .apply(x) as Sym; // 9x7
        x = tf.layers.concatenate().apply([skip1, x]) as Sym;
        const pooledSame = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x) as Sym; // 5x4
        const up = tf.layers
          .conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2, padding: 'valid', kernelInitializer: init(s()) })
          .apply(pooledSame) as Sym; // 10x8
        return conv(
          tf.layers.concatenate().apply([conv(up, 2, s, { kernelSize: 2, padding: 'valid' }), conv(x, 1, s)]) as Sym,
          1,
          s,
          { activation: 'sigmoid' },
        );
      }),
      'mse',
    );
  },
);

test(
  'batch normalization in training mode: gradients, and the moving averages Keras keeps (momentum 0.99)',
  { skip: planSkip },
  () => {
    const model = modelOf((p, s) => {
      let x = conv(p, 4, s, { useBias: false });
      x = tf.layers.batchNormalization({ gammaInitializer: init(s()), betaInitializer: init(s()) }).apply(x) as Sym;
      x = tf.layers.reLU().apply(x) as Sym;
      x = conv(x, 3, s, { useBias: false });
      x = tf.layers
        .batchNormalization({ momentum: 0.9, gammaInitializer: init(s()), betaInitializer: init(s()) })
        .apply(x) as Sym;
      return conv(tf.layers.reLU().apply(x) as Sym, 1, s);
    });
    const { planLoss, tapeLoss, worst, moving } = compareStep(model, 'mse', 6, 6);
    assert.ok(Math.abs(planLoss - tapeLoss) / tapeLoss < 1e-5, `loss ${planLoss} vs ${tapeLoss}`);
    assert.ok(worst < 1e-4, `gradients differ by ${worst} of the largest`);
    // The tape's forward pass (training: true) moved the model's moving averages once; the plan's moved its copy once.
    assert.equal(moving.length, 4, 'two moving means and two moving variances');
    for (const { variable, values } of moving) {
      const tape = variable.read().dataSync();
      assert.ok(
        tape.some((v) => v !== 0 && v !== 1),
        'the moving statistics moved',
      );
      tape.forEach((v, i) => assert.ok(Math.abs(v - values[i]) < 1e-6, `${variable.name}[${i}]: ${values[i]} vs ${v}`));
    }
    model.dispose();
  },
);

test('a frozen layer: its arrays get no gradient, the layers before it still train', { skip: planSkip }, () => {
  const model = modelOf((p, s) => {
    const x = conv(p, 4, s, { activation: 'relu', name: 'first' });
    const frozen = conv(x, 4, s, { activation: 'relu', name: 'frozen' });
    return conv(frozen, 1, s);
  });
  model.getLayer('frozen').trainable = false;
  assertSameStep(model, 'mse');
});

test('a model the plan has no operation for is refused with the reason', () => {
  const input = tf.input({ shape: [4] });
  const model = tf.model({ inputs: input, outputs: tf.layers.dropout({ rate: 0.5 }).apply(input) as Sym });
  assert.match(String(lowerLayerGraph(model)), /\(Dropout\) has no plan operation/);
  model.dispose();
});

test(
  'the inference plan predicts what model.predict does, batch norm on its moving statistics, at another image size too, direct and Winograd',
  { skip: planSkip },
  () => {
    // 5 channels: direct convolutions on NHWC; 16: Winograd on blocked tensors.
    for (const filters of [5, 16]) assertPlanPredicts({ type: 'dncnn', depth: 4, filters, batchNorm: true });
  },
);

/** A model's inference plan, at its size and another, against predict (weights moved off their initial values). */
function assertPlanPredicts(model: DncnnModel): void {
  const trained = buildDenoiser(model, { height: 12, width: 8 }, 3);
  // Moving statistics and gammas away from their initial 0, 1 and 1, as after training.
  const rng = new SeededRandom(9);
  trained.model.setWeights(
    trained.model.getWeights().map((w) =>
      tf.tensor(
        Array.from(w.dataSync(), (v) => v + 0.5 + rng.next()),
        w.shape,
      ),
    ),
  );
  for (const [height, width] of [
    [12, 8],
    [17, 23],
  ]) {
    // The project's convolutional models are built for one size; the same weights in a model of another size.
    const denoiser = buildDenoiser(model, { height, width }, 3);
    denoiser.model.setWeights(trained.model.getWeights());
    const n = 3;
    const x = Float32Array.from({ length: n * height * width }, () => rng.next());
    const plan = inferencePlan(denoiser.model, 4, 2);
    assert.ok(typeof plan !== 'string', String(plan));
    const planned = plan.run(x, n).slice();
    plan.dispose();
    const predicted = tf.tidy(() =>
      (denoiser.model.predict(tf.tensor2d(x, [n, height * width])) as tf.Tensor).dataSync(),
    );
    let worst = 0;
    predicted.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - planned[i]) / Math.max(1, Math.abs(v)))));
    assert.ok(worst < 1e-5, `${height}x${width}: the plan's output differs from predict's by ${worst}`);
    denoiser.model.dispose();
  }
  trained.model.dispose();
}
