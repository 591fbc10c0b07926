import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, resolveConfig } from '../src/core/config/loadConfig';
import { ConfigError } from '../src/core/config/configError';

const minimal = () => ({
  dataset: { source: 'mnist' },
  noise: { steps: [{ type: 'gaussian' }, { type: 'saltPepper', amount: 0.1 }] },
  model: { type: 'dense', depth: 5, codeSize: 500 },
});

function problemsOf(raw: unknown, overrides: string[] = []) {
  const { config, problems } = resolveConfig(raw, overrides);
  assert.equal(config, undefined, 'expected the config to be rejected');
  return problems.map((p) => `${p.path}: ${p.message}`);
}

test('every example experiment is valid', () => {
  const dir = join(__dirname, '..', 'examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.denoise.json'));
  assert.ok(files.length >= 1);
  for (const f of files) assert.doesNotThrow(() => loadConfig(join(dir, f)), f);
});

test('defaults are filled in as the seed report used them', () => {
  const { config } = resolveConfig(minimal());
  assert.ok(config);
  assert.deepEqual(config.noise.steps[0], { type: 'gaussian', mean: 0, variance: 0.01 });
  assert.deepEqual(config.noise.steps[1], { type: 'saltPepper', amount: 0.1, saltRatio: 0.5 });
  assert.equal(config.training.optimizer, 'sgd');
  assert.equal(config.training.loss, 'mse');
  assert.equal(config.training.batchSize, 256);
  assert.equal(config.noise.mode, 'fixed');
  assert.equal(config.output.runsDir, 'denoise-runs');
  const periodic = resolveConfig({ ...minimal(), noise: { steps: [{ type: 'periodic' }] } }).config;
  assert.deepEqual(periodic?.noise.steps[0], {
    type: 'periodic',
    amplitude: 1,
    frequency: 1.5 * Math.PI,
    orientation: 'x',
    phase: 0,
  });
});

test('an unknown field is an error with a did-you-mean', () => {
  const raw = { ...minimal(), training: { learningrate: 0.5 } };
  assert.deepEqual(problemsOf(raw), ['training.learningrate: unknown field; did you mean "learningRate"?']);
  const top = problemsOf({ ...minimal(), modle: {} });
  assert.match(top[0], /^modle: unknown field; did you mean "model"\?/);
});

test('a value out of range names the path, the value and the allowed range', () => {
  assert.deepEqual(problemsOf({ ...minimal(), training: { learningRate: 0 } }), [
    'training.learningRate: 0 is out of range; allowed: a number > 0 and <= 100',
  ]);
  const raw = minimal();
  raw.noise.steps[1].amount = 1.5;
  assert.deepEqual(problemsOf(raw), ['noise.steps[1].amount: 1.5 is out of range; allowed: a number >= 0 and <= 1']);
});

test('a wrong type, a bad enum value, a bad noise or model type are each explained', () => {
  assert.deepEqual(problemsOf({ ...minimal(), training: { epochs: 'ten' } }), [
    'training.epochs: "ten" is a string; expected an integer',
  ]);
  assert.deepEqual(problemsOf({ ...minimal(), training: { optimizer: 'adamw' } }), [
    'training.optimizer: "adamw" is not allowed; use one of "sgd", "momentum", "adam" (did you mean "adam"?)',
  ]);
  assert.deepEqual(problemsOf({ ...minimal(), noise: { steps: [{ type: 'gausian' }] } }), [
    'noise.steps[0].type: "gausian" is not allowed; use one of "gaussian", "saltPepper", "periodic", "speckle", "poisson", "gaussian255", "poissonGaussian" (did you mean "gaussian"?)',
  ]);
  assert.deepEqual(problemsOf({ ...minimal(), model: { type: 'transformer' } }), [
    'model.type: "transformer" is not allowed; use one of "dense", "conv", "dncnn", "unet", "vae"',
  ]);
  // A field of another model type is unknown for this one, and the message lists what is allowed here.
  assert.match(
    problemsOf({ ...minimal(), model: { type: 'conv', codeSize: 10 } })[0],
    /^model.codeSize: unknown field; known fields: type, filters, kernelSize/,
  );
});

test('missing required sections and an even dense depth are reported', () => {
  assert.deepEqual(problemsOf({ dataset: { source: 'mnist' } }), [
    'noise: is required but missing',
    'model: is required but missing',
  ]);
  assert.match(
    problemsOf({ ...minimal(), model: { type: 'dense', depth: 6 } })[0],
    /^model.depth: 6 is even; it must be odd/,
  );
  assert.deepEqual(problemsOf({ ...minimal(), dataset: { source: 'idx' } }), [
    "dataset.trainImages: is required when dataset.source is 'idx'",
  ]);
});

test('all problems are listed at once', () => {
  const raw = { ...minimal(), training: { epochs: 0, batchSize: -1, loss: 'l2' } };
  assert.equal(problemsOf(raw).length, 3);
});

test('--set overrides change fields before validation, including array items', () => {
  const { config } = resolveConfig(minimal(), [
    'training.epochs=2',
    'noise.steps[0].variance=0.05',
    'model.codeSize=10',
    'name=short-run',
  ]);
  assert.ok(config);
  assert.equal(config.training.epochs, 2);
  assert.equal(config.noise.steps[0].type === 'gaussian' && config.noise.steps[0].variance, 0.05);
  assert.equal(config.model.type === 'dense' && config.model.codeSize, 10);
  assert.equal(config.name, 'short-run');
  assert.deepEqual(problemsOf(minimal(), ['training.epochs=-3']), [
    'training.epochs: -3 is out of range; allowed: an integer >= 1 and <= 10000',
  ]);
  assert.match(problemsOf(minimal(), ['training.epochs'])[0], /expected PATH=VALUE/);
});

test('a JSON syntax error gives the line and column', () => {
  const dir = mkdtempSync(join(tmpdir(), 'denoise-config-'));
  const file = join(dir, 'broken.denoise.json');
  writeFileSync(file, '{\n  "dataset": { "source": "mnist" },\n  "noise": { "steps": [] }\n  "model": {}\n}\n');
  assert.throws(
    () => loadConfig(file),
    (err: unknown) => err instanceof ConfigError && err.problems[0].line === 4 && /invalid JSON/.test(err.message),
  );
  assert.throws(() => loadConfig(join(dir, 'missing.denoise.json')), /no such file/);
});

test('the generated TypeScript types match the schema', () => {
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'generate-config-types.mjs'), '--check']);
});
