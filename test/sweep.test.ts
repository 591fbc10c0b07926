/**
 * Sweeps: how a `sweep` section expands into runs (grid product, explicit runs, seeded random draws),
 * how each run is named and checked, and the errors a user sees for a bad path or value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../src/core/config/configError';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/core/config/loadConfig';
import { expandSweep, loadSweep } from '../src/core/sweep/expandSweep';

const base = {
  name: 'seed-table1',
  dataset: { source: 'mnist', trainSize: 2000 },
  noise: {
    steps: [
      { type: 'gaussian', variance: 0.01 },
      { type: 'saltPepper', amount: 0.1 },
    ],
  },
  model: { type: 'dense', depth: 5, codeSize: 100 },
  training: { optimizer: 'sgd', learningRate: 0.8, epochs: 10, batchSize: 256 },
};
const withSweep = (sweep: unknown) => ({ ...base, sweep });

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  }
  assert.fail('expected the sweep to be refused');
}

test('a grid runs every combination, first field slowest, each run named after what it changes', () => {
  const plan = expandSweep(
    withSweep({ grid: { 'model.codeSize': [10, 100, 500], 'training.learningRate': [0.5, 1] }, parallel: 2 }),
    'sweep.denoise.json',
  );
  assert.equal(plan.runs.length, 6);
  assert.equal(plan.parallel, 2);
  assert.deepEqual(
    plan.runs.map((r) => [r.config.model.type === 'dense' && r.config.model.codeSize, r.config.training.learningRate]),
    [
      [10, 0.5],
      [10, 1],
      [100, 0.5],
      [100, 1],
      [500, 0.5],
      [500, 1],
    ],
  );
  assert.equal(plan.runs[2].label, 'seed-table1 codeSize=100 lr=0.5');
  assert.equal(plan.runs[2].config.name, 'seed-table1_codeSize-100_lr-0.5_3');
  // Fields the sweep does not touch keep the experiment's values and defaults.
  assert.deepEqual([plan.runs[0].config.training.epochs, plan.runs[0].config.training.loss], [10, 'mse']);
});

test("explicit runs give a table's rows; only the fields that differ name them, and a label replaces its own fields", () => {
  const plan = expandSweep(
    withSweep({
      runs: [
        { set: { 'model.codeSize': 10, 'training.learningRate': 0.1, 'training.batchSize': 256 } },
        { set: { 'model.depth': 7, 'training.learningRate': 0.8, 'training.batchSize': 256 } },
        { label: 'no noise', set: { 'noise.steps': [], 'training.learningRate': 0.5 } },
        { set: { 'noise.steps[1].amount': 0.5 } },
      ],
    }),
    'table.denoise.json',
  );
  assert.deepEqual(
    plan.runs.map((r) => r.label),
    ['seed-table1 codeSize=10 lr=0.1', 'seed-table1 lr=0.8 depth=7', 'seed-table1 no noise', 'seed-table1 amount=0.5'],
  );
  assert.equal(plan.runs[2].config.noise.steps.length, 0);
  assert.equal(
    plan.runs[3].config.noise.steps[1].type === 'saltPepper' && plan.runs[3].config.noise.steps[1].amount,
    0.5,
  );
  assert.equal(
    plan.runs[1].config.model.type === 'dense' && plan.runs[1].config.model.codeSize,
    100,
    'unset fields keep the base value',
  );
});

test('grid × explicit runs: every row for every grid value', () => {
  const plan = expandSweep(
    withSweep({
      grid: { 'training.seed': [1, 2] },
      runs: [{ set: { 'model.codeSize': 10 } }, { set: { 'model.codeSize': 500 } }],
    }),
    'x.denoise.json',
  );
  assert.deepEqual(
    plan.runs.map((r) => r.label),
    [
      'seed-table1 seed=1 codeSize=10',
      'seed-table1 seed=1 codeSize=500',
      'seed-table1 seed=2 codeSize=10',
      'seed-table1 seed=2 codeSize=500',
    ],
  );
});

test('a random search draws the same runs for the same seed, within the ranges and choices given', () => {
  const sweep = (seed: number) =>
    withSweep({
      random: {
        count: 20,
        seed,
        fields: {
          'training.learningRate': { min: 0.05, max: 2, scale: 'log' },
          'training.epochs': { min: 1, max: 5, integer: true },
          'model.codeSize': { choices: [64, 128, 500] },
        },
      },
    });
  const values = (seed: number) => expandSweep(sweep(seed), 'r.denoise.json').runs.map((r) => r.values);
  const first = values(7);
  assert.equal(first.length, 20);
  assert.deepEqual(values(7), first, 'same seed, same runs');
  assert.notDeepEqual(values(8), first, 'another seed, other runs');
  for (const v of first) {
    const lr = v['training.learningRate'] as number;
    assert.ok(lr >= 0.05 && lr <= 2, `learning rate ${lr} in range`);
    assert.ok(
      Number.isInteger(v['training.epochs']) &&
        (v['training.epochs'] as number) >= 1 &&
        (v['training.epochs'] as number) <= 5,
    );
    assert.ok([64, 128, 500].includes(v['model.codeSize'] as number));
  }
  // A log scale spreads the draws over the orders of magnitude: some below 0.3, some above.
  const lrs = first.map((v) => v['training.learningRate'] as number);
  assert.ok(lrs.some((lr) => lr < 0.3) && lrs.some((lr) => lr > 0.3));
});

test("the command line's --set applies to every run after the sweep's values, and can change the sweep itself", () => {
  const plan = expandSweep(withSweep({ grid: { 'training.epochs': [10, 20] } }), 'x.denoise.json', [
    'training.epochs=1',
    'sweep.parallel=3',
  ]);
  assert.deepEqual(
    plan.runs.map((r) => r.config.training.epochs),
    [1, 1],
  );
  assert.equal(plan.parallel, 3);
});

test('a misspelt field, a list index past the end and a bad value are each reported with their path, before any run', () => {
  assert.deepEqual(
    problemsOf(() => expandSweep(withSweep({ grid: { 'model.codSize': [10, 100] } }), 'x.denoise.json')),
    ['model.codSize: unknown field; did you mean "codeSize"? (in every run of the sweep)'],
  );
  assert.deepEqual(
    problemsOf(() => expandSweep(withSweep({ grid: { 'noise.steps[4].variance': [0.1] } }), 'x.denoise.json')),
    ['noise.steps[4].variance: the list has 2 item(s), so index 4 does not exist (in every run of the sweep)'],
  );
  const [bad] = problemsOf(() =>
    expandSweep(withSweep({ grid: { 'training.learningRate': [0.5, -1, 1] } }), 'x.denoise.json'),
  );
  assert.match(
    bad,
    /^training\.learningRate: -1 is out of range.*\(in 1 of 3 runs, e\.g\. "seed-table1 lr=-1" of the sweep\)$/,
  );
});

test('the sweep section itself is checked: a field path with spaces, an empty grid list, a missing sweep', () => {
  const problems = problemsOf(() =>
    expandSweep(withSweep({ grid: { 'model code': [1], 'training.epochs': [] } }), 'x.denoise.json'),
  );
  assert.ok(
    problems.some((p) => p.startsWith('sweep.grid')),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.startsWith('sweep.grid.training.epochs')),
    problems.join('\n'),
  );
  assert.deepEqual(problemsOf(() => expandSweep(base, 'x.denoise.json')).length, 1);
  assert.match(problemsOf(() => expandSweep(base, 'x.denoise.json'))[0], /^sweep: is missing/);
});

test("every example validates, and every example's sweep expands into checked runs; the seed tables have the report's rows", () => {
  const dir = join(__dirname, '..', 'examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.denoise.json'));
  const sweeps = new Map<string, ReturnType<typeof loadSweep>>();
  for (const f of files) {
    const { config } = loadConfig(join(dir, f));
    if (config.sweep) sweeps.set(f, loadSweep(join(dir, f)));
  }
  assert.deepEqual([...sweeps.keys()].sort(), [
    'model-kinds.denoise.json',
    'noise-types.denoise.json',
    'seed-table1.denoise.json',
    'seed-table2.denoise.json',
  ]);
  const rows = (f: string) =>
    sweeps.get(f)!.runs.map((r) => {
      const m = r.config.model.type === 'dense' ? r.config.model : undefined;
      const t = r.config.training;
      return [
        r.config.noise.steps.map((s) => (s.type === 'saltPepper' ? `sp${s.amount}` : s.type)).join('+'),
        m?.depth,
        m?.codeSize,
        t.learningRate,
        t.epochs,
        t.batchSize,
      ].join(' ');
    });
  // The report's first table, row by row (noise, layers, code size, learning rate, epochs, batch size).
  assert.deepEqual(rows('seed-table1.denoise.json'), [
    'gaussian+sp0.1 5 10 0.1 10 256',
    'gaussian+sp0.1 5 100 0.5 10 256',
    'gaussian+sp0.1 5 100 0.8 10 256',
    'gaussian+sp0.1 5 100 1 10 256',
    'gaussian+sp0.1 5 100 1.5 10 256',
    'gaussian+sp0.1 7 100 0.8 10 256',
    'gaussian+sp0.1 7 100 0.8 20 256',
    'gaussian+sp0.1 5 100 0.8 20 256',
    'gaussian+sp0.1 5 100 0.8 50 256',
    'gaussian+sp0.1 9 100 0.8 50 256',
    'gaussian+sp0.1 5 100 0.8 10 128',
    'gaussian+sp0.1 5 100 0.8 10 32',
    'gaussian+sp0.1 5 500 0.8 10 256',
    'gaussian+sp0.1 5 500 0.8 50 256',
    'gaussian+sp0.1 5 500 1 50 256',
    'gaussian+sp0.1 9 500 0.8 10 256',
    ' 5 100 0.5 10 256',
  ]);
  assert.deepEqual(rows('seed-table2.denoise.json'), [
    'gaussian+sp0.5 5 100 0.5 10 256',
    'gaussian+periodic+sp0.2 5 100 0.5 10 256',
    'gaussian+periodic+sp0.1 5 100 0.5 10 256',
    'gaussian+periodic+sp0.5 5 500 1 50 256',
  ]);
  const periodic = sweeps.get('seed-table2.denoise.json')!.runs[1].config.noise.steps[1];
  assert.ok(
    periodic.type === 'periodic' &&
      Math.abs(periodic.frequency - 1.5 * Math.PI) < 1e-12 &&
      periodic.orientation === 'x',
    'the wave is cos(1.5πx)',
  );
  assert.equal(sweeps.get('noise-types.denoise.json')!.runs.length, 5);
  // Issue 7: every kind of model in one table; the sigmoid-output kinds with binary cross-entropy.
  const kinds = sweeps
    .get('model-kinds.denoise.json')!
    .runs.map((r) => `${r.config.model.type} ${r.config.training.loss}`);
  assert.deepEqual(kinds, ['dense mse', 'conv bce', 'dncnn mse', 'unet bce', 'vae bce']);
});

test('the fine-tuning and transfer-learning examples start from the clean-trained example by its name', () => {
  const load = (f: string) => loadConfig(join(__dirname, '..', 'examples', f)).config;
  const clean = load('training-without-noise.denoise.json');
  assert.deepEqual([clean.training.input, clean.training.target], ['clean', 'clean']);
  const fineTune = load('fine-tune-with-noise.denoise.json').training;
  const transfer = load('transfer-learning.denoise.json').training;
  assert.deepEqual(fineTune.startFrom, { run: `latest:${clean.name}`, freeze: 'none' });
  assert.deepEqual(transfer.startFrom, { run: `latest:${clean.name}`, freeze: 'encoder' });
  assert.equal(transfer.epochs, 10);
  const generation = load('generation.denoise.json').evaluation.generation;
  assert.deepEqual([generation.blankValue, generation.randomInputs], [0, 16]);
});
