import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { initEngine, type EngineInfo } from '../src/core/engine/selectEngine';
import { loadBlas } from '../src/core/engine/blas/loadBlas';
import { blasKernelFuncs } from '../src/core/engine/blas/blasConvKernels';
import { conv2dBackpropFilterOnWasm } from '../src/core/engine/wasm/conv2dBackpropFilterKernel';
import { SeededRandom } from '../src/core/random/seededRandom';

let engine: EngineInfo;
before(async () => {
  engine = await initEngine('auto');
});

// Reseeded by each test (randomCases), so one test's failure does not change the shapes the next one draws.
let rng = new SeededRandom(23);
const pick = <T>(options: readonly T[]): T => options[rng.nextInt(options.length)];
const randomValues = (shape: number[]) =>
  Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.nextGaussian());

/**
 * Runs op on the engine under test and on TensorFlow.js's cpu kernels; the largest error relative to max(1, |cpu
 * value|).
 */
async function errorAgainstCpu(op: () => tf.Tensor): Promise<number> {
  const got = await tf.tidy(op).data();
  const backend = tf.getBackend();
  await tf.setBackend('cpu');
  const want = await tf.tidy(op).data();
  await tf.setBackend(backend);
  assert.equal(got.length, want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++)
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  return worst;
}

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: Pad;
  dilation: number;
}

/**
 * Random shapes: batch 1-5, sides 5-12, 1-8 input and 1-16 output channels, 1x1/3x3/5x5, stride 1-2, padding,
 * dilation 2 (stride 1 only, as tfjs requires).
 */
function randomCases(seed: number, count: number, withDilation: boolean): Case[] {
  rng = new SeededRandom(seed);
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const k = pick([1, 3, 5]);
    const stride = pick([1, 2]);
    const dilation = withDilation && stride === 1 && i % 3 === 0 ? 2 : 1;
    const pad: Pad =
      i % 7 === 6
        ? [
            [0, 0],
            [rng.nextInt(3), rng.nextInt(3)],
            [rng.nextInt(3), rng.nextInt(3)],
            [0, 0],
          ]
        : pick(['same', 'valid'] as const);
    const side = (k - 1) * dilation + 1 + rng.nextInt(8);
    cases.push({
      x: [pick([1, 2, 5]), side, side + rng.nextInt(3), pick([1, 3, 8])],
      filter: [k, k, 0, pick([1, 4, 16])],
      stride,
      pad,
      dilation,
    });
    cases[i].filter[2] = cases[i].x[3];
  }
  return cases;
}

const describeCase = (c: Case) =>
  `x ${c.x.join('x')} filter ${c.filter.join('x')} stride ${c.stride} pad ${JSON.stringify(c.pad)} dilation ${c.dilation}`;

test('on wasm-blas the wasm backend runs the BLAS convolution kernels', (t) => {
  if (!loadBlas(0).blas) return t.skip('no system BLAS on this machine (CI installs libopenblas0-pthread)');
  assert.equal(engine.name, 'wasm-blas');
  for (const name of ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']) {
    assert.ok(blasKernelFuncs.has(tf.getKernel(name, 'wasm')!.kernelFunc), `${name} is not the BLAS kernel`);
  }
});

test('conv2d matches the cpu kernel on random shapes, strides, padding and dilation', async () => {
  for (const c of randomCases(1, 24, true)) {
    const [x, f] = [randomValues(c.x), randomValues(c.filter)];
    const error = await errorAgainstCpu(() =>
      tf.conv2d(tf.tensor4d(x, c.x), tf.tensor4d(f, c.filter), c.stride, c.pad, 'NHWC', c.dilation),
    );
    assert.ok(error < 1e-4, `${describeCase(c)}: relative error ${error}`);
  }
});

for (const activation of ['linear', 'relu', 'sigmoid', 'elu', 'leakyrelu'] as const) {
  test(`fused conv2d with bias and ${activation} matches the cpu kernel`, async () => {
    for (const c of randomCases(activation.length, 4, true)) {
      const [x, f, bias] = [randomValues(c.x), randomValues(c.filter), randomValues([c.filter[3]])];
      const error = await errorAgainstCpu(() =>
        tf.fused.conv2d({
          x: tf.tensor4d(x, c.x),
          filter: tf.tensor4d(f, c.filter),
          strides: c.stride,
          pad: c.pad,
          dilations: c.dilation,
          bias: tf.tensor1d(bias),
          activation,
          leakyreluAlpha: 0.3,
        }),
      );
      assert.ok(error < 1e-4, `${describeCase(c)}: relative error ${error}`);
    }
  });
}

test('the gradients of a conv2d (input and filter, through tf.grads) match the cpu kernels', async () => {
  for (const c of randomCases(2, 20, false)) {
    const outShape = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad).outShape;
    const [x, f, r] = [randomValues(c.x), randomValues(c.filter), randomValues(outShape)];
    for (const which of [0, 1]) {
      const error = await errorAgainstCpu(() => {
        // The loss sum(conv * r) sends a unit-scale upstream gradient r, as a real loss would.
        const loss = (a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), tf.tensor4d(r, outShape)));
        return tf.grads(loss)([tf.tensor4d(x, c.x), tf.tensor4d(f, c.filter)])[which];
      });
      assert.ok(
        error < 1e-4,
        `${which === 0 ? 'input' : 'filter'} gradient, ${describeCase(c)}: relative error ${error}`,
      );
    }
  }
});

test('stride-1 convolutions with one channel in or out (a grayscale first layer, a one-channel last layer) match the cpu kernels in all three passes', async () => {
  // Fixed cases: the random ones above reach these layers only by chance, and on wasm-blas they take their own path
  // (oneChannelConv.ts).
  const cases: Case[] = [
    { x: [3, 9, 11, 1], filter: [3, 3, 1, 6], stride: 1, pad: 'same', dilation: 1 },
    { x: [2, 8, 8, 5], filter: [3, 3, 5, 1], stride: 1, pad: 'same', dilation: 1 },
    { x: [1, 9, 7, 1], filter: [5, 5, 1, 1], stride: 1, pad: 'valid', dilation: 1 },
    { x: [2, 10, 10, 1], filter: [3, 3, 1, 4], stride: 1, pad: 'same', dilation: 2 },
    { x: [2, 10, 9, 3], filter: [3, 3, 3, 1], stride: 1, pad: 'valid', dilation: 2 },
    {
      x: [2, 7, 8, 1],
      filter: [3, 2, 1, 3],
      stride: 1,
      pad: [
        [0, 0],
        [2, 0],
        [1, 2],
        [0, 0],
      ],
      dilation: 1,
    },
    {
      x: [1, 6, 6, 4],
      filter: [2, 3, 4, 1],
      stride: 1,
      pad: [
        [0, 0],
        [0, 1],
        [2, 1],
        [0, 0],
      ],
      dilation: 1,
    },
  ];
  for (const c of cases) {
    const outShape = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, c.dilation, c.pad).outShape;
    const [x, f, bias, r] = [
      randomValues(c.x),
      randomValues(c.filter),
      randomValues([c.filter[3]]),
      randomValues(outShape),
    ];
    const forward = await errorAgainstCpu(() =>
      tf.fused.conv2d({
        x: tf.tensor4d(x, c.x),
        filter: tf.tensor4d(f, c.filter),
        strides: 1,
        pad: c.pad,
        dilations: c.dilation,
        bias: tf.tensor1d(bias),
        activation: 'relu',
      }),
    );
    assert.ok(forward < 1e-4, `forward, ${describeCase(c)}: relative error ${forward}`);
    // TensorFlow.js has no gradients for dilated convolutions, so those cases check the forward pass only.
    for (const which of c.dilation === 1 ? [0, 1] : []) {
      const error = await errorAgainstCpu(() => {
        const loss = (a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, c.pad), tf.tensor4d(r, outShape)));
        return tf.grads(loss)([tf.tensor4d(x, c.x), tf.tensor4d(f, c.filter)])[which];
      });
      assert.ok(
        error < 1e-4,
        `${which === 0 ? 'input' : 'filter'} gradient, ${describeCase(c)}: relative error ${error}`,
      );
    }
  }
});

test('conv2dTranspose (Conv2DBackpropInput as a forward op) matches the cpu kernel', async () => {
  for (const c of randomCases(3, 10, false)) {
    const outShape = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad).outShape;
    const [dy, f] = [randomValues(outShape), randomValues(c.filter)];
    const error = await errorAgainstCpu(() =>
      tf.conv2dTranspose(tf.tensor4d(dy, outShape), tf.tensor4d(f, c.filter), c.x, c.stride, c.pad),
    );
    assert.ok(error < 1e-4, `${describeCase(c)}: relative error ${error}`);
  }
});

test("plain wasm's Conv2DBackpropFilter (used where no BLAS loads) matches the cpu kernel", async (t) => {
  if (tf.getBackend() !== 'wasm') return t.skip('the wasm backend did not start');
  for (const c of randomCases(4, 16, false)) {
    const outShape = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad).outShape;
    const [x, dy] = [randomValues(c.x), randomValues(outShape)];
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
    const xt = tf.tensor4d(x, c.x);
    const dyt = tf.tensor4d(dy, outShape);
    const info = conv2dBackpropFilterOnWasm({
      inputs: { x: xt, dy: dyt },
      backend: tf.backend(),
      attrs: attrs as unknown as tf.NamedAttrMap,
    });
    const got = tf.engine().makeTensorFromTensorInfo(info);
    const gotValues = await got.data();
    tf.dispose([xt, dyt, got]);
    await tf.setBackend('cpu');
    const want = tf.tidy(() =>
      tf.grad((w: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(tf.tensor4d(x, c.x), w as tf.Tensor4D, c.stride, c.pad), tf.tensor4d(dy, outShape))),
      )(tf.tensor4d(randomValues(c.filter), c.filter)),
    );
    const wantValues = await want.data();
    want.dispose();
    await tf.setBackend('wasm');
    let worst = 0;
    for (let i = 0; i < wantValues.length; i++)
      worst = Math.max(worst, Math.abs(gotValues[i] - wantValues[i]) / Math.max(1, Math.abs(wantValues[i])));
    assert.ok(worst < 1e-4, `${describeCase(c)}: relative error ${worst}`);
  }
});

for (const engineName of ['wasm', 'wasm-blas'] as const) {
  test(`conv, dncnn, unet and vae train on ${engineName}: finite loss that falls over 5 Adam steps`, (t) => {
    if (engineName === 'wasm-blas' && !loadBlas(0).blas) return t.skip('no system BLAS on this machine');
    // A child process: the engine and the kernels on the wasm backend are chosen once per process.
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'test/helpers/trainModelsOnEngine.ts', engineName, '5'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const report = JSON.parse(out.trim().split('\n').pop()!) as {
      engine: string;
      results: { type: string; losses: number[]; kernels: string[] }[];
    };
    assert.equal(report.engine, engineName);
    assert.deepEqual(
      report.results.map((r) => r.type),
      ['conv', 'dncnn', 'unet', 'vae'],
    );
    for (const { type, losses, kernels } of report.results) {
      assert.ok(losses.every(Number.isFinite), `${type}: ${losses}`);
      assert.ok(losses[losses.length - 1] < losses[0], `${type} loss did not fall: ${losses}`);
      if (type !== 'vae') assert.ok(kernels.includes('Conv2DBackpropFilter'), `${type} ran ${kernels.join(', ')}`);
    }
  });
}
