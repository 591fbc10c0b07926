import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../src/core/config/loadConfig';
import type { Noise } from '../src/core/config/experimentConfig.generated';
import { firstImages, type ImageSet } from '../src/core/data/imageSet';
import { SeededRandom } from '../src/core/random/seededRandom';
import { applyNoise } from '../src/core/noise/applyNoise';
import { describeNoise, describeNoiseStep } from '../src/core/noise/describeNoise';
import { noisePreview } from '../src/core/noise/noisePreview';

/** The noise section as a user writes it in an experiment file, with the schema's defaults filled in. */
function noiseOf(steps: object[], extra: object = {}): Noise {
  const { config, problems } = resolveConfig({
    dataset: { source: 'mnist' },
    noise: { steps, ...extra },
    model: { type: 'dense', depth: 5, codeSize: 100 },
  });
  assert.ok(config, JSON.stringify(problems));
  return config.noise;
}

function constantImages(value: number, count: number, height = 28, width = 28): ImageSet {
  return { pixels: new Float32Array(count * height * width).fill(value), count, height, width };
}

/** MNIST-like images: mostly black, some strokes of random grey. */
function digitLikeImages(count: number, seed = 7): ImageSet {
  const rng = new SeededRandom(seed);
  const pixels = new Float32Array(count * 28 * 28);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.next() < 0.8 ? 0 : rng.next();
  return { pixels, count, height: 28, width: 28 };
}

function meanAndVariance(values: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return { mean, variance: squares / values.length };
}

function residuals(noisy: ImageSet, clean: ImageSet): Float64Array {
  return Float64Array.from(noisy.pixels, (v, i) => v - clean.pixels[i]);
}

function assertWithin(actual: number, expected: number, relative: number, what: string) {
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.abs(expected),
    `${what}: ${actual}, expected ${expected} ± ${relative * 100}%`,
  );
}

const grey = constantImages(0.5, 200); // 156,800 pixels

test('salt-and-pepper 0.1 turns 10% of the pixels white or black, half each; saltRatio 1 only white', () => {
  const noisy = applyNoise(grey, noiseOf([{ type: 'saltPepper', amount: 0.1 }]), 'train').pixels;
  const white = noisy.filter((v) => v === 1).length / noisy.length;
  const black = noisy.filter((v) => v === 0).length / noisy.length;
  assert.equal(noisy.filter((v) => v !== 0.5 && v !== 0 && v !== 1).length, 0, 'pixels are either kept or replaced');
  assert.ok(Math.abs(white + black - 0.1) <= 0.005, `changed ${white + black}`);
  assert.ok(Math.abs(white / (white + black) - 0.5) <= 0.02, `white share ${white / (white + black)}`);

  const salt = applyNoise(grey, noiseOf([{ type: 'saltPepper', amount: 0.1, saltRatio: 1 }]), 'train').pixels;
  assert.equal(salt.filter((v) => v === 0).length, 0);
  assert.ok(Math.abs(salt.filter((v) => v === 1).length / salt.length - 0.1) <= 0.005);

  const all = applyNoise(grey, noiseOf([{ type: 'saltPepper', amount: 1 }]), 'train').pixels;
  assert.equal(all.filter((v) => v === 0.5).length, 0, 'amount 1 replaces every pixel');
  const none = applyNoise(grey, noiseOf([{ type: 'saltPepper', amount: 0 }]), 'train').pixels;
  assert.deepEqual(none, grey.pixels);
});

test('gaussian noise adds N(mean, variance): variance, not standard deviation', () => {
  const plain = meanAndVariance(
    residuals(applyNoise(grey, noiseOf([{ type: 'gaussian', variance: 0.01 }]), 'train'), grey),
  );
  assert.ok(Math.abs(plain.mean) < 0.001, `mean ${plain.mean}`);
  assertWithin(plain.variance, 0.01, 0.03, 'variance');

  const shifted = meanAndVariance(
    residuals(applyNoise(grey, noiseOf([{ type: 'gaussian', mean: 0.1, variance: 0.01 }]), 'train'), grey),
  );
  assert.ok(Math.abs(shifted.mean - 0.1) < 0.001, `mean ${shifted.mean}`);
  assertWithin(shifted.variance, 0.01, 0.03, 'variance with a mean');

  // Tails: about 4.55% of N(0, 0.01) lies beyond ±2σ = ±0.2 (a Box-Muller or ziggurat slip shows here).
  const wide = residuals(applyNoise(grey, noiseOf([{ type: 'gaussian', variance: 0.01 }]), 'val'), grey);
  assertWithin(wide.filter((r) => Math.abs(r) > 0.2).length / wide.length, 0.0455, 0.05, 'share beyond 2σ');
});

/** The periodic formula written out: clip(z + amplitude·cos(frequency·t + phase)), stored as float32. */
function expectedPeriodic(
  z: number,
  x: number,
  y: number,
  p: { amplitude: number; frequency: number; orientation: string; phase: number },
) {
  const t = p.orientation === 'x' ? x : p.orientation === 'y' ? y : x + y;
  return Math.fround(Math.min(1, Math.max(0, z + p.amplitude * Math.cos(p.frequency * t + p.phase))));
}

test("periodic noise follows its formula pixel for pixel, and the default is the seed report's cos(1.5πx)", () => {
  const height = 5;
  const width = 7; // not square, so x and y cannot be mixed up
  const images = digitLikeImages(1);
  const clean: ImageSet = { pixels: images.pixels.subarray(0, height * width * 2), count: 2, height, width };
  const cases = [
    { amplitude: 1, frequency: 1.5 * Math.PI, orientation: 'x', phase: 0 },
    { amplitude: 0.3, frequency: Math.PI / 3, orientation: 'y', phase: 0.5 },
    { amplitude: 0.7, frequency: 2, orientation: 'diagonal', phase: -1 },
  ];
  for (const p of cases) {
    const noisy = applyNoise(clean, noiseOf([{ type: 'periodic', ...p }]), 'test').pixels;
    for (let i = 0; i < noisy.length; i++) {
      const x = i % width;
      const y = Math.floor(i / width) % height;
      assert.equal(
        noisy[i],
        expectedPeriodic(clean.pixels[i], x, y, p),
        `${p.orientation} at image ${Math.floor(i / 35)} (${x},${y})`,
      );
    }
  }

  const seedDefault = applyNoise(constantImages(0.5, 1), noiseOf([{ type: 'periodic' }]), 'test').pixels;
  const row = Array.from(seedDefault.subarray(0, 8));
  assert.deepEqual(
    row,
    [1, 0.5, 0, 0.5, 1, 0.5, 0, 0.5],
    'cos(1.5πx) on grey: white, unchanged, black, unchanged, ...',
  );
  for (let y = 1; y < 28; y++)
    assert.deepEqual(Array.from(seedDefault.subarray(y * 28, y * 28 + 8)), row, 'vertical stripes');
});

test('speckle residual variance is z²·variance; poisson has mean z and variance z/peak', () => {
  for (const z of [0.2, 0.5]) {
    const clean = constantImages(z, 200);
    const speckle = meanAndVariance(
      residuals(applyNoise(clean, noiseOf([{ type: 'speckle', variance: 0.04 }]), 'train'), clean),
    );
    assert.ok(Math.abs(speckle.mean) < 0.001);
    assertWithin(speckle.variance, z * z * 0.04, 0.03, `speckle variance at z=${z}`);
  }
  const black = constantImages(0, 10);
  assert.deepEqual(
    applyNoise(black, noiseOf([{ type: 'speckle', variance: 4 }]), 'train').pixels,
    black.pixels,
    'black stays black',
  );

  const clean = constantImages(0.3, 200);
  const poisson = meanAndVariance(applyNoise(clean, noiseOf([{ type: 'poisson', peak: 30 }]), 'train').pixels);
  assertWithin(poisson.mean, 0.3, 0.01, 'poisson mean');
  assertWithin(poisson.variance, 0.3 / 30, 0.03, 'poisson variance');
});

const everyKind = [
  { type: 'gaussian', variance: 1 },
  { type: 'saltPepper', amount: 0.3 },
  { type: 'periodic', amplitude: 2, orientation: 'diagonal' },
  { type: 'speckle', variance: 4 },
  { type: 'poisson', peak: 5 },
];

test('noise is reproducible from its seed, split and epoch, stays in [0,1] and leaves the input alone', () => {
  const clean = digitLikeImages(50);
  const before = clean.pixels.slice();
  const noise = noiseOf(everyKind, { seed: 42 });
  const first = applyNoise(clean, noise, 'train');
  assert.deepEqual(applyNoise(clean, noise, 'train').pixels, first.pixels, 'same seed, split and epoch');
  assert.notDeepEqual(
    applyNoise(clean, noiseOf(everyKind, { seed: 43 }), 'train').pixels,
    first.pixels,
    'another seed',
  );
  assert.notDeepEqual(applyNoise(clean, noise, 'val').pixels, first.pixels, 'another split');
  assert.notDeepEqual(applyNoise(clean, noise, 'train', 1).pixels, first.pixels, 'a fresh epoch');
  assert.deepEqual(clean.pixels, before, 'input not modified');
  for (let s = 0; s < everyKind.length; s++) {
    const out = applyNoise(clean, noiseOf(everyKind.slice(s, s + 1)), 'train').pixels;
    assert.equal(
      out.filter((v) => !(v >= 0 && v <= 1) || Object.is(v, -0)).length,
      0,
      `${everyKind[s].type} stays within [0,1]`,
    );
  }
  assert.equal(first.count, 50);
  assert.equal(first.height, 28);

  const none = applyNoise(clean, noiseOf([]), 'train');
  assert.deepEqual(none.pixels, clean.pixels);
  assert.notEqual(none.pixels.buffer, clean.pixels.buffer, 'a copy even without noise');
});

/** The first 16 pixels of the seed report's noise (seed 1234, test split) on a grey image, as released. */
const GOLDEN = [
  0.44814735651016235, 0.6002877950668335, 0.4179422855377197, 0.45884156227111816, 1, 0.3818351924419403,
  0.43473678827285767, 0.46732738614082336, 0.29978296160697937, 0.4898097515106201, 0.4672720432281494,
  0.4472676217556, 0.5295935273170471, 0, 1, 1,
];

test('the noisy pixels of a seed never change between versions (stored runs stay reproducible)', () => {
  const noise = noiseOf(
    [
      { type: 'gaussian', variance: 0.01 },
      { type: 'saltPepper', amount: 0.1 },
    ],
    { seed: 1234 },
  );
  const noisy = applyNoise(constantImages(0.5, 1), noise, 'test').pixels;
  assert.deepEqual(Array.from(noisy.subarray(0, 16)), GOLDEN);
});

test('adding a step keeps the earlier steps noise, and an image gets the same noise whatever follows it', () => {
  const clean = digitLikeImages(20);
  const gaussian = applyNoise(clean, noiseOf([{ type: 'gaussian' }]), 'test').pixels;
  const both = applyNoise(clean, noiseOf([{ type: 'gaussian' }, { type: 'saltPepper', amount: 0.1 }]), 'test').pixels;
  const changed = both.filter((v, i) => v !== gaussian[i]);
  assert.ok(
    changed.every((v) => v === 0 || v === 1),
    'only salt-and-pepper pixels differ',
  );
  assert.ok(changed.length < 0.1 * both.length && changed.length > 0.05 * both.length);

  // `denoise eval` noises the first maxImages test images; they must get the run's noise.
  const noise = noiseOf(everyKind);
  const all = applyNoise(clean, noise, 'test').pixels;
  assert.deepEqual(applyNoise(firstImages(clean, 3), noise, 'test').pixels, all.subarray(0, 3 * 784));
});

test('the preview shows clean, each step alone and combined, labelled with their values', () => {
  const clean = digitLikeImages(5);
  const noise = noiseOf([
    { type: 'gaussian', variance: 0.01 },
    { type: 'saltPepper', amount: 0.1 },
    { type: 'periodic' },
  ]);
  const entries = noisePreview(clean, noise);
  assert.deepEqual(
    entries.map((e) => [e.label, e.detail]),
    [
      ['clean', 'no noise'],
      ['gaussian', 'mean 0, variance 0.01'],
      ['saltPepper', 'amount 0.1, salt 50%'],
      ['periodic', 'amplitude 1, α 4.712 (1.50π), x, phase 0'],
      ['combined', 'Gaussian σ²=0.01 + salt-and-pepper 0.1 + periodic cos(1.50π·x)'],
    ],
  );
  assert.deepEqual(entries[0].images.pixels, clean.pixels);
  assert.deepEqual(
    entries[4].images.pixels,
    applyNoise(clean, noise, 'test').pixels,
    'combined is exactly the test noise',
  );
  assert.deepEqual(
    entries[1].images.pixels,
    applyNoise(clean, noiseOf([{ type: 'gaussian', variance: 0.01 }]), 'test').pixels,
  );
  const periodicAlone = entries[3].images.pixels;
  assert.equal(periodicAlone[0], 1, 'a step alone acts on the clean images');
  assert.deepEqual(
    noisePreview(clean, noiseOf([])).map((e) => e.label),
    ['clean', 'combined'],
  );
});

test('noise descriptions for results tables and captions', () => {
  assert.equal(
    describeNoise(noiseOf([{ type: 'gaussian' }, { type: 'saltPepper', amount: 0.1 }])),
    'Gaussian σ²=0.01 + salt-and-pepper 0.1',
  );
  assert.equal(
    describeNoise(
      noiseOf(
        [
          { type: 'gaussian', mean: 0.1, variance: 0.05 },
          { type: 'saltPepper', amount: 0.2, saltRatio: 0.7 },
        ],
        { mode: 'freshEachEpoch' },
      ),
    ),
    'Gaussian μ=0.1 σ²=0.05 + salt-and-pepper 0.2 (70% salt) (fresh each epoch)',
  );
  assert.equal(
    describeNoise(
      noiseOf([{ type: 'periodic', amplitude: 0.3, frequency: Math.PI / 3, orientation: 'diagonal', phase: -0.5 }]),
    ),
    'periodic 0.3·cos(0.33π·(x+y) - 0.5)',
  );
  assert.equal(describeNoise(noiseOf([{ type: 'speckle' }, { type: 'poisson' }])), 'speckle σ²=0.04 + Poisson peak 30');
  assert.equal(describeNoise(noiseOf([])), 'no noise');
  const [speckle, poisson] = noiseOf([{ type: 'speckle' }, { type: 'poisson' }]).steps;
  assert.equal(describeNoiseStep(speckle), 'variance 0.04');
  assert.equal(describeNoiseStep(poisson), 'peak 30');
});
