import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBlas, CBLAS } from '../src/core/engine/blas/loadBlas';
import { BlasWorkers, type SgemmCall } from '../src/core/engine/blas/blasWorkers';
import { SeededRandom } from '../src/core/random/seededRandom';
import { DenseElementwise } from '../src/core/engine/wasm/denseElementwise';

const blas = loadBlas(2).blas;
const noBlas = blas ? false : 'no system BLAS on this machine (CI installs libopenblas0-pthread)';

/** C = alpha op(A) op(B) + beta C by the definition, row-major. */
function reference(c: SgemmCall): Float32Array {
  const out = c.c.slice();
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) {
      let sum = 0;
      for (let p = 0; p < c.k; p++) {
        const a = c.transA === CBLAS.trans ? c.a[p * c.lda + i] : c.a[i * c.lda + p];
        const b = c.transB === CBLAS.trans ? c.b[j * c.ldb + p] : c.b[p * c.ldb + j];
        sum += a * b;
      }
      out[i * c.ldc + j] = c.alpha * sum + (c.beta === 0 ? 0 : c.beta * c.c[i * c.ldc + j]);
    }
  }
  return out;
}

test(
  'calls split over worker threads give what each call gives on its own, beta 0 and 1, every transpose',
  { skip: noBlas },
  () => {
    const elementwise = new DenseElementwise([1 << 20]);
    const floats = elementwise.buffers[0];
    const rng = new SeededRandom(3);
    for (let i = 0; i < floats.length; i++) floats[i] = rng.next() - 0.5;
    const workers = new BlasWorkers(blas!, elementwise, 2);
    try {
      assert.equal(workers.threads, 2, 'the worker thread started');
      // Two parts that write disjoint regions: the same calls on this thread and on the worker.
      const parts: SgemmCall[][] = [0, 1].map((part) => {
        const base = part * 200_000;
        return [CBLAS.noTrans, CBLAS.trans].flatMap((transA, t) =>
          [CBLAS.noTrans, CBLAS.trans].map((transB, u) => ({
            transA,
            transB,
            m: 37,
            n: 19,
            k: 23,
            alpha: 0.5,
            beta: (t + u) % 2,
            a: floats.subarray(base, base + 2000),
            lda: 37,
            b: floats.subarray(base + 2000, base + 3000),
            ldb: 37,
            c: floats.subarray(base + 3000 + (t * 2 + u) * 1000),
            ldc: 19,
          })),
        );
      });
      const expected = parts.map((calls) => calls.map((c) => reference(c).slice(0, c.m * c.ldc)));
      workers.run(parts);
      parts.forEach((calls, part) =>
        calls.forEach((c, i) => {
          const got = c.c.subarray(0, c.m * c.ldc);
          const worst = Math.max(...Array.from(got, (v, j) => Math.abs(v - expected[part][i][j])));
          assert.ok(worst < 1e-4, `part ${part} call ${i}: off by ${worst}`);
        }),
      );
    } finally {
      workers.dispose();
    }
  },
);

test('an operand outside the shared memory is refused with a message, not computed wrongly', { skip: noBlas }, () => {
  const elementwise = new DenseElementwise([16]);
  const workers = new BlasWorkers(blas!, elementwise, 2);
  try {
    const inside = elementwise.buffers[0];
    const outside = new Float32Array(16);
    const call: SgemmCall = {
      transA: CBLAS.noTrans,
      transB: CBLAS.noTrans,
      m: 4,
      n: 4,
      k: 4,
      alpha: 1,
      a: outside,
      lda: 4,
      b: inside,
      ldb: 4,
      beta: 0,
      c: inside,
      ldc: 4,
    };
    assert.throws(() => workers.run([[], [call]]), /not in the shared memory/);
  } finally {
    workers.dispose();
  }
});

test('the ReLU passes on a worker thread give what they give on this one', { skip: noBlas }, () => {
  const elementwise = new DenseElementwise([4099, 4099, 4099, 4099, 8, 8]);
  const [x, y, g, h, sumsHere, sumsThere] = elementwise.buffers;
  const rng = new SeededRandom(8);
  for (const buffer of [x, g]) for (let i = 0; i < buffer.length; i++) buffer[i] = rng.next() - 0.5;
  y.set(x);
  h.set(g);
  const workers = new BlasWorkers(blas!, elementwise, 2);
  try {
    // 4099 floats: not a multiple of 4, so the worker's own tail loop runs too.
    workers.run([[{ relu: x, count: 4099 }], [{ relu: y, count: 4099 }]]);
    assert.ok(x.every((v) => v >= 0) && x.some((v) => v > 0));
    assert.deepEqual(y, x);
    const rows = 512;
    workers.run([
      [{ gradient: g, output: x, rows, channels: 8, sums: sumsHere }],
      [{ gradient: h, output: x, rows, channels: 8, sums: sumsThere }],
    ]);
    assert.deepEqual(h.subarray(0, rows * 8), g.subarray(0, rows * 8));
    assert.deepEqual(sumsThere, sumsHere);
    const column3 = Array.from({ length: rows }, (_, r) => g[r * 8 + 3]).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sumsHere[3] - column3) < 1e-4, `column sum ${sumsHere[3]} vs ${column3}`);
    assert.ok(
      g.subarray(0, rows * 8).every((v, i) => (x[i] > 0 ? true : v === 0)),
      'zero where the ReLU output is',
    );
  } finally {
    workers.dispose();
  }
});
