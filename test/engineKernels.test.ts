import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initEngine, type EngineInfo } from '../src/core/engine/selectEngine';
import { loadBlas } from '../src/core/engine/blas/loadBlas';
import { SeededRandom } from '../src/core/random/seededRandom';

let engine: EngineInfo;
before(async () => {
  engine = await initEngine('auto');
});

const rng = new SeededRandom(11);
const randomArray = (shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, () => rng.nextGaussian());
};

/** Runs the same op on the engine under test and on TensorFlow.js's own cpu kernels; max relative error. */
async function compareWithCpu(op: () => tf.Tensor): Promise<number> {
  const got = op();
  const gotValues = await got.data();
  got.dispose();
  const backend = tf.getBackend();
  await tf.setBackend('cpu');
  const want = op();
  const wantValues = await want.data();
  want.dispose();
  await tf.setBackend(backend);
  let worst = 0;
  for (let i = 0; i < wantValues.length; i++) {
    worst = Math.max(worst, Math.abs(gotValues[i] - wantValues[i]) / Math.max(1, Math.abs(wantValues[i])));
  }
  return worst;
}

test('auto picks the BLAS-backed engine when the system BLAS loads, and says which library', (t) => {
  if (!loadBlas(0).blas) return t.skip('no system BLAS on this machine (CI installs libopenblas0-pthread)');
  assert.equal(engine.name, 'wasm-blas');
  assert.match(engine.blasLibrary ?? '', /blas/i);
  assert.ok(engine.threads >= 1);
});

for (const [transposeA, transposeB] of [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
]) {
  test(`matMul transposeA=${transposeA} transposeB=${transposeB} matches the cpu kernel, batched and broadcast`, async () => {
    for (const [batchA, batchB, m, k, n] of [
      [1, 1, 256, 784, 642],
      [3, 3, 5, 7, 2],
      [1, 4, 6, 3, 9],
      [2, 1, 1, 1, 1],
      [1, 1, 33, 17, 65],
    ]) {
      const aValues = randomArray([batchA, m, k]);
      const bValues = randomArray([batchB, k, n]);
      const error = await compareWithCpu(() =>
        tf.tidy(() => {
          const a = tf.tensor3d(aValues, [batchA, m, k]);
          const b = tf.tensor3d(bValues, [batchB, k, n]);
          return tf.matMul(
            transposeA ? a.transpose([0, 2, 1]) : a,
            transposeB ? b.transpose([0, 2, 1]) : b,
            transposeA,
            transposeB,
          );
        }),
      );
      assert.ok(error < 1e-4, `[${batchA},${m},${k}] x [${batchB},${k},${n}]: relative error ${error}`);
    }
  });
}

test('rank-2 matMul (tf.matMul hands 2-D tensors to BatchMatMul as they are) matches the cpu kernel in every transpose case', async () => {
  for (const [transposeA, transposeB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]) {
    const [m, k, n] = [37, 19, 23];
    const [aValues, bValues] = [randomArray(transposeA ? [k, m] : [m, k]), randomArray(transposeB ? [n, k] : [k, n])];
    const error = await compareWithCpu(() =>
      tf.tidy(() =>
        tf.matMul(
          tf.tensor2d(aValues, transposeA ? [k, m] : [m, k]),
          tf.tensor2d(bValues, transposeB ? [n, k] : [k, n]),
          transposeA,
          transposeB,
        ),
      ),
    );
    assert.ok(error < 1e-4, `transposeA=${transposeA} transposeB=${transposeB}: relative error ${error}`);
  }
});

test('fused matMul with a batched product, a bias and a one-element bias that broadcasts matches the cpu kernel', async () => {
  const [batch, m, k, n] = [3, 8, 5, 6];
  const [aValues, bValues, biasValues] = [randomArray([batch, m, k]), randomArray([batch, k, n]), randomArray([n])];
  for (const bias of [biasValues, biasValues.slice(0, 1)]) {
    const error = await compareWithCpu(() =>
      tf.tidy(() =>
        tf.fused.matMul({
          a: tf.tensor3d(aValues, [batch, m, k]),
          b: tf.tensor3d(bValues, [batch, k, n]),
          bias: tf.tensor1d(bias),
          activation: 'relu',
        }),
      ),
    );
    assert.ok(error < 1e-4, `bias of ${bias.length}: relative error ${error}`);
  }
});

for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
  test(`fused matMul with bias and ${activation} matches the cpu kernel`, async () => {
    const [m, k, n] = [64, 50, 30];
    const [aValues, bValues, biasValues] = [randomArray([m, k]), randomArray([k, n]), randomArray([n])];
    const error = await compareWithCpu(() =>
      tf.tidy(() =>
        tf.fused.matMul({
          a: tf.tensor2d(aValues, [m, k]),
          b: tf.tensor2d(bValues, [k, n]),
          bias: tf.tensor1d(biasValues),
          activation,
          leakyreluAlpha: 0.3,
        }),
      ),
    );
    assert.ok(error < 1e-4, `relative error ${error}`);
  });
}

test('the gradients of a dense layer match the cpu backend (the backward pass uses transposed products)', async () => {
  const [xValues, wValues] = [randomArray([32, 20]), randomArray([20, 10])];
  const error = await compareWithCpu(() =>
    tf.tidy(() => {
      const x = tf.tensor2d(xValues, [32, 20]);
      const w = tf.tensor2d(wValues, [20, 10]);
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.sigmoid(tf.matMul(a, b))))([x, w]);
      return tf.concat([grads[0].flatten(), grads[1].flatten()]);
    }),
  );
  assert.ok(error < 1e-4, `relative error ${error}`);
});

test('a BLAS library that cannot load is reported with how to install one', () => {
  const saved = process.env.DENOISE_BLAS_LIB;
  process.env.DENOISE_BLAS_LIB = '/nonexistent/libopenblas.so.0';
  try {
    const { blas, problems } = loadBlas(1);
    assert.equal(blas, undefined);
    assert.match(problems.join('\n'), /no BLAS library found \(\/nonexistent\/libopenblas\.so\.0\)/);
  } finally {
    if (saved === undefined) delete process.env.DENOISE_BLAS_LIB;
    else process.env.DENOISE_BLAS_LIB = saved;
  }
});

test('forcing an engine that cannot start names what to install', async () => {
  await assert.rejects(
    initEngine('tensorflow'),
    /Engine 'tensorflow' could not start: @tensorflow\/tfjs-node is not installed \(npm install @tensorflow\/tfjs-node\)/,
  );
});

test('Sum over leading axes (bias gradients) matches the cpu kernel; other axes and keepDims too', async () => {
  for (const [shape, axis, keepDims] of [
    [[64, 7, 7, 32], [0, 1, 2], false],
    [[64, 7, 7, 32], [2, 0, 1], true],
    [[300, 642], 0, false],
    [[300, 642], -2, true],
    [[5, 6, 7], [0, 2], false],
    [[5, 6, 7], 1, false],
    [[4, 1], [0], false],
  ] as [number[], number | number[], boolean][]) {
    const values = randomArray(shape);
    const error = await compareWithCpu(() => tf.tidy(() => tf.sum(tf.tensor(values, shape), axis, keepDims)));
    assert.ok(error < 1e-4, `sum of ${shape} over ${axis}: relative error ${error}`);
  }
});

test('a cast to the same dtype keeps its values after the original is disposed; a cast to int32 still converts', async () => {
  const original = tf.tensor1d([1.5, -2.25, 3]);
  const same = tf.cast(original, 'float32');
  const ints = tf.cast(original, 'int32');
  original.dispose();
  assert.deepEqual(Array.from(await same.data()), [1.5, -2.25, 3]);
  assert.deepEqual(Array.from(await ints.data()), [1, -2, 3]);
  tf.dispose([same, ints]);
});

test('a clone (Identity) keeps its values after the original is disposed', async () => {
  const original = tf.tensor1d([1, 2, 3]);
  const copy = tf.clone(original);
  original.dispose();
  assert.deepEqual(Array.from(await copy.data()), [1, 2, 3]);
  copy.dispose();
});
