import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBlas } from '../src/core/engine/blas/loadBlas';
import { ResidualCnnStep, type DirectConvLayer } from '../src/core/engine/blas/residualCnnStep';
import { loadOneDnn } from '../src/core/engine/onednn/loadOneDnn';
import { OneDnnResidualCnnStep } from '../src/core/engine/onednn/oneDnnResidualCnnStep';
import { SeededRandom } from '../src/core/random/seededRandom';

const { blas } = loadBlas(2);
const { onednn, problems } = loadOneDnn();
const skip = !blas
  ? 'no system BLAS here (CI installs libopenblas0-pthread)'
  : !onednn
    ? `no oneDNN here (CI installs libdnnl2): ${problems.join('; ')}`
    : false;

/**
 * The benchmark's CNN: 1 -> 32 -> 32 -> 32 -> 32 -> 1, 3x3, on 28x28 images; the shapes oneDNN picks its AVX-512
 * kernels for.
 */
function benchCnn(rng: SeededRandom, frozen = 0): DirectConvLayer[] {
  const channels = [1, 32, 32, 32, 32, 1];
  return channels.slice(0, -1).map((ci, i) => ({
    inChannels: ci,
    outChannels: channels[i + 1],
    kernel: Float32Array.from({ length: 9 * ci * channels[i + 1] }, () => 0.3 * (rng.next() - 0.5)),
    bias: Float32Array.from({ length: channels[i + 1] }, () => 0.1 * (rng.next() - 0.5)),
    relu: i < channels.length - 2,
    trainable: i >= frozen,
  }));
}

/**
 * How far two float32 libraries' gradients may lie apart. Both land 1e-7-1e-6 from a float64 reference, except
 * where a pre-activation lies within rounding of zero: one library then takes the ReLU's other side for that
 * element, and every gradient below it moves. Measured with oneDNN's AVX2 kernels (jit:avx2): one such element
 * of 401,408, and the gradients 2.2e-4 apart. A wrong layout, padding, bias or stale primitive moves them by
 * far more: leaving the short batch's backward weights unreordered put them 2.8 apart.
 */
const RELU_TIE_TOLERANCE = 1e-3;

/** The largest difference over all gradients, relative to the largest gradient of its array. */
function worstRelative(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let worst = 0;
  a.forEach((x, i) => {
    const scale = Math.max(...b[i].map(Math.abs));
    x.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j]) / scale)));
  });
  return worst;
}

test(
  "oneDNN computes the benchmark CNN's loss and gradients as the BLAS step does, for full and short batches",
  { skip },
  () => {
    const rng = new SeededRandom(5);
    const batch = 16;
    const x = Float32Array.from({ length: batch * 784 }, () => rng.next());
    const y = Float32Array.from({ length: batch * 784 }, () => rng.next());
    for (const frozen of [0, 2]) {
      const layers = benchCnn(rng, frozen);
      const onDnn = new OneDnnResidualCnnStep(onednn!, layers, 28, 28, 3, batch, 2);
      const onBlas = new ResidualCnnStep(blas!, layers, 28, 28, 3, batch);
      try {
        assert.ok(
          onDnn.implementations.every((name) => name.length > 0),
          onDnn.implementations.join(', '),
        );
        // 16 images, then 5 (a run's last, shorter batch: its own primitives), then 16 again (the first ones, reused).
        for (const n of [batch, 5, batch]) {
          const loss = onDnn.gradients(x, y, n);
          const expected = onBlas.gradients(x, y, n);
          assert.ok(Math.abs(loss - expected) / expected < 1e-5, `loss ${loss} vs ${expected} (n ${n})`);
          const trained = layers.map((l, i) => (l.trainable ? i : -1)).filter((i) => i >= 0);
          const pick = (arrays: Float32Array[]) => trained.map((i) => arrays[i]);
          const kernels = worstRelative(pick(onDnn.kernelGradients), pick(onBlas.kernelGradients));
          const biases = worstRelative(pick(onDnn.biasGradients), pick(onBlas.biasGradients));
          assert.ok(
            kernels < RELU_TIE_TOLERANCE && biases < RELU_TIE_TOLERANCE,
            `n ${n}, ${frozen} frozen: kernel gradients differ by ${kernels}, bias gradients by ${biases}`,
          );
          for (let i = 0; i < frozen; i++)
            assert.ok(
              onDnn.kernelGradients[i].every((g) => g === 0),
              `frozen layer ${i} gets no gradient`,
            );
        }
      } finally {
        onDnn.dispose();
        onBlas.dispose();
      }
    }
  },
);

test('oneDNN that is left out or not found is reported with the reason, and nothing else breaks', () => {
  const before = process.env.DENOISE_ONEDNN_LIB;
  try {
    process.env.DENOISE_ONEDNN_LIB = 'none';
    const left = loadOneDnn();
    assert.equal(left.onednn, undefined);
    assert.deepEqual(left.problems, ['left out by DENOISE_ONEDNN_LIB=none']);
    process.env.DENOISE_ONEDNN_LIB = '/nowhere/libdnnl.so.2';
    const missing = loadOneDnn();
    assert.equal(missing.onednn, undefined);
    assert.match(missing.problems.join('\n'), /oneDNN not found \(\/nowhere\/libdnnl\.so\.2\)/);
  } finally {
    if (before === undefined) delete process.env.DENOISE_ONEDNN_LIB;
    else process.env.DENOISE_ONEDNN_LIB = before;
  }
});
