import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../src/core/config/experimentConfig.generated';
import { initEngine } from '../src/core/engine/selectEngine';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { conv2dOnData, denseOnData } from '../src/core/models/dataInputLayers';

before(async () => {
  await initEngine('auto');
});

const image = { height: 8, width: 8 };

/** The kernels one training step runs, by name, as tf.profile lists them. */
async function kernelsOfOneStep(model: Model): Promise<string[]> {
  const d = buildDenoiser(model, image, 3);
  const x = tf.randomUniform([4, 64], 0, 1, 'float32', 1) as tf.Tensor2D;
  const optimizer = tf.train.sgd(0.1);
  const variables = d.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const info = await tf.profile(() => {
    optimizer.minimize(() => tf.losses.meanSquaredError(x, d.trainForward(x).output) as tf.Scalar, false, variables);
  });
  d.model.dispose();
  optimizer.dispose();
  x.dispose();
  return info.kernels.map((k) => k.name);
}

const count = (names: string[], ...wanted: string[]) => names.filter((n) => wanted.includes(n)).length;

test('a dense model trains without the gradient of its input data: one matrix product fewer per step than layer products need', async () => {
  // 784-style chain 64-40-20-40-64: 4 products forward, 4 weight gradients, 3 gradients between layers.
  const names = await kernelsOfOneStep({
    type: 'dense',
    hiddenSizes: [40, 20],
    depth: 5,
    codeSize: 20,
    activation: 'relu',
    outputActivation: 'sigmoid',
  });
  assert.equal(count(names, 'BatchMatMul', '_FusedMatMul'), 4 + 4 + 3);
});

test('a residual CNN trains without the gradient of its input data: no input gradient for its first convolution', async () => {
  const names = await kernelsOfOneStep({ type: 'dncnn', depth: 4, filters: 4, batchNorm: false });
  // 4 convolutions: 4 filter gradients, 3 input gradients (the first layer's input is the data).
  assert.equal(count(names, 'Conv2DBackpropFilter'), 4);
  assert.equal(count(names, 'Conv2DBackpropInput'), 3);
});

test('the input layers compute what the standard layers compute, forward and for their weights', () => {
  const x = tf.randomUniform([5, 12], -1, 1, 'float32', 2);
  const pictures = tf.randomUniform([2, 6, 6, 3], -1, 1, 'float32', 4);
  const pairs: [tf.layers.Layer, tf.layers.Layer, tf.Tensor][] = [
    [
      denseOnData({ units: 7, activation: 'relu', name: 'a' }),
      tf.layers.dense({ units: 7, activation: 'relu', name: 'b' }),
      x,
    ],
    [
      conv2dOnData({ filters: 4, kernelSize: 3, padding: 'same', dilationRate: 1, activation: 'sigmoid', name: 'c' }),
      tf.layers.conv2d({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        dilationRate: 1,
        activation: 'sigmoid',
        name: 'd',
      }),
      pictures,
    ],
    [
      conv2dOnData({ filters: 2, kernelSize: 3, strides: 2, padding: 'valid', name: 'e' }),
      tf.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'valid', name: 'f' }),
      pictures,
    ],
  ];
  for (const [ours, standard, input] of pairs) {
    ours.apply(input);
    standard.apply(input);
    standard.setWeights(ours.getWeights());
    assert.equal(ours.getClassName(), standard.getClassName(), 'a saved model names the standard layer');
    assert.deepEqual(ours.getConfig(), { ...standard.getConfig(), name: ours.name });
    const outputs = [ours, standard].map((layer) => layer.apply(input) as tf.Tensor);
    assert.ok((tf.max(tf.abs(tf.sub(outputs[0], outputs[1]))).arraySync() as number) < 1e-6);
    const grads = [ours, standard].map((layer) => {
      const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads: g } = tf.variableGrads(
        () => tf.sum(tf.square(layer.apply(input) as tf.Tensor)) as tf.Scalar,
        vars,
      );
      return vars.map((v) => g[v.name]);
    });
    grads[0].forEach((g, i) =>
      assert.ok(
        (tf.max(tf.abs(tf.sub(g, grads[1][i]))).arraySync() as number) < 1e-5,
        `${ours.getClassName()} weight ${i}`,
      ),
    );
  }
});
