import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../src/core/config/loadConfig';

const folder = join(__dirname, '..', 'templates');
const templates = readdirSync(folder)
  .filter((f) => f.endsWith('.denoise.json'))
  .map((file) => ({ file, raw: JSON.parse(readFileSync(join(folder, file), 'utf8')) as Record<string, unknown> }));

test('every New Experiment template is a valid experiment named after its file, with a description', () => {
  assert.ok(templates.length >= 6, `${templates.length} templates`);
  for (const { file, raw } of templates) {
    const { config, problems } = resolveConfig(raw);
    assert.deepEqual(problems, [], file);
    assert.equal(`${config!.name}.denoise.json`, file);
    assert.ok(config!.description.length > 40, `${file} says what it reproduces`);
  }
});

test("the templates reproduce the seed report's experiments", () => {
  const byName = new Map(templates.map(({ raw }) => [raw.name as string, resolveConfig(raw).config!]));
  const best = byName.get('seed-best')!;
  assert.deepEqual(
    [best.model, best.training.optimizer, best.training.learningRate, best.training.epochs, best.training.batchSize],
    [{ type: 'dense', depth: 5, codeSize: 500, activation: 'relu', outputActivation: 'sigmoid' }, 'sgd', 1, 50, 256],
  );
  assert.deepEqual(
    best.noise.steps.map((s) => s.type),
    ['gaussian', 'saltPepper'],
  );
  const clean = byName.get('training-without-noise')!;
  assert.deepEqual([clean.training.input, clean.training.target], ['clean', 'clean']);
  assert.ok(byName.get('periodic-noise')!.noise.steps.some((s) => s.type === 'periodic'));
  assert.equal(byName.get('conv-autoencoder')!.model.type, 'conv');
  assert.equal(byName.get('variational-autoencoder')!.model.type, 'vae');
  // Fine-tuning and transfer learning start from the clean-trained template's runs.
  assert.equal(byName.get('fine-tune-with-noise')!.training.startFrom?.run, 'latest:training-without-noise');
  assert.deepEqual(byName.get('transfer-learning')!.training.startFrom, {
    run: 'latest:training-without-noise',
    freeze: 'encoder',
  });
});
