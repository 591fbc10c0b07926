import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DenseElementwise } from '../src/core/engine/wasm/denseElementwise';
import { SeededRandom } from '../src/core/random/seededRandom';

const rng = new SeededRandom(21);
// 1,027 floats: a SIMD bulk and a remainder of 3 done in JavaScript.
const COUNT = 1027;
const values = () => Float32Array.from({ length: COUNT }, () => 12 * rng.nextGaussian());

test('the committed WebAssembly module is the one denseElementwise.wat compiles to', () => {
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'build-wasm.mjs'), '--check']);
});

test('relu and its gradient match the plain definitions, remainder included', () => {
  const k = new DenseElementwise([COUNT, COUNT]);
  const [a, g] = k.buffers;
  const x = values();
  a.set(x);
  k.relu(a, COUNT);
  x.forEach((v, i) => assert.equal(a[i], Math.max(v, 0), `relu(${v})`));
  const dy = values();
  g.set(dy);
  k.reluGrad(g, a, COUNT);
  dy.forEach((v, i) => assert.equal(g[i], a[i] > 0 ? v : 0, `gradient at ${i}`));
  assert.ok(a.some((v) => v === 0) && a.some((v) => v > 0), 'both sides of zero were tried');
});

test('sigmoid stays within 1e-6 of 1/(1+e^-x) from -150 to 150, and its gradient is g a (1-a)', () => {
  const k = new DenseElementwise([COUNT, COUNT]);
  const [a, g] = k.buffers;
  const x = values();
  x[0] = -150;
  x[1] = 150;
  x[2] = 0;
  a.set(x);
  k.sigmoid(a, COUNT);
  let worst = 0;
  x.forEach((v, i) => (worst = Math.max(worst, Math.abs(a[i] - 1 / (1 + Math.exp(-v))))));
  assert.ok(worst < 1e-6, `largest difference ${worst}`);
  assert.equal(a[2], 0.5);
  const dy = values();
  g.set(dy);
  k.sigmoidGrad(g, a, COUNT);
  dy.forEach((v, i) =>
    assert.ok(Math.abs(g[i] - v * a[i] * (1 - a[i])) <= 1e-6 * Math.max(1, Math.abs(v)), `gradient at ${i}`),
  );
});

test('squaredErrorGrad returns the sum of squared differences and writes scale x difference', () => {
  const k = new DenseElementwise([COUNT, COUNT, COUNT]);
  const [out, y, g] = k.buffers;
  out.set(values());
  y.set(values());
  let want = 0;
  for (let i = 0; i < COUNT; i++) want += (out[i] - y[i]) ** 2;
  const sum = k.squaredErrorGrad(out, y, g, COUNT, 0.5);
  assert.ok(Math.abs(sum - want) / want < 1e-6, `${sum} vs ${want}`);
  for (let i = 0; i < COUNT; i++) assert.ok(Math.abs(g[i] - 0.5 * (out[i] - y[i])) < 1e-5, `gradient at ${i}`);
});

test('addInto adds, tail included; zeroRuns zeros exactly its runs and refuses runs past the buffer', () => {
  const k = new DenseElementwise([COUNT, COUNT]);
  const [to, from] = k.buffers;
  const a = values();
  const b = values();
  to.set(a);
  from.set(b);
  k.addInto(to, from, COUNT);
  for (let i = 0; i < COUNT; i++) assert.equal(to[i], Math.fround(a[i] + b[i]), `sum at ${i}`);
  to.fill(1);
  k.zeroRuns(to, 3, 4, 10, 2);
  const zeros = [3, 4, 13, 14, 23, 24, 33, 34];
  for (let i = 0; i < 50; i++) assert.equal(to[i], zeros.includes(i) ? 0 : 1, `position ${i}`);
  assert.throws(() => k.zeroRuns(to, COUNT - 5, 2, 4, 2), RangeError);
});

test('sgd subtracts the float32 product rate x gradient from every weight, the last few floats included', () => {
  const k = new DenseElementwise([COUNT, COUNT]);
  const [w, g] = k.buffers;
  const w0 = values();
  w.set(w0);
  g.set(values());
  k.sgd(w, g, 0.3);
  for (let j = 0; j < COUNT; j++) {
    const expected = Math.fround(w0[j] - Math.fround(Math.fround(0.3) * g[j]));
    assert.equal(w[j], expected, `weight at ${j}`);
  }
});

test('adam and momentum update every weight as the written-out rules do, the last few floats included', () => {
  const k = new DenseElementwise([COUNT, COUNT, COUNT, COUNT]);
  const [w, g, m, v] = k.buffers;
  const w0 = values();
  const grad = values();
  w.set(w0);
  g.set(grad);
  m.fill(0.01);
  v.fill(0.02);
  const [b1, b2, c1, c2, eps, rate] = [0.9, 0.999, 1 - 0.9 ** 3, 1 - 0.999 ** 3, 1e-7, 0.01];
  k.adam(w, g, m, v, rate, b1, b2, c1, c2, eps);
  for (let j = 0; j < COUNT; j++) {
    const mj = b1 * 0.01 + (1 - b1) * grad[j];
    const vj = b2 * 0.02 + (1 - b2) * grad[j] * grad[j];
    const wj = w0[j] - (rate * (mj / c1)) / (Math.sqrt(vj / c2) + eps);
    assert.ok(
      Math.abs(m[j] - mj) < 1e-6 * Math.max(1, Math.abs(mj)) && Math.abs(v[j] - vj) < 1e-6 * Math.max(1, vj),
      `moments at ${j}: ${m[j]} vs ${mj}, ${v[j]} vs ${vj}`,
    );
    assert.ok(Math.abs(w[j] - wj) < 1e-5 * Math.max(1, Math.abs(wj)), `adam weight at ${j}: ${w[j]} vs ${wj}`);
  }
  w.set(w0);
  m.fill(0.5);
  k.momentum(w, g, m, rate, 0.9);
  for (let j = 0; j < COUNT; j++) {
    const aj = 0.9 * 0.5 + grad[j];
    assert.ok(Math.abs(m[j] - aj) < 1e-6 * Math.max(1, Math.abs(aj)), `accumulation at ${j}`);
    assert.ok(Math.abs(w[j] - (w0[j] - rate * aj)) < 1e-5 * Math.max(1, Math.abs(w0[j])), `momentum weight at ${j}`);
  }
});
