/**
 * Editing an experiment matches the docs (issue 21, item 9): problems are errors with the command line's
 * words, placed on the field, with a quick fix for a near miss; a hover gives the default and the range.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDiagnostics } from '../src/extension/host/configDiagnostics';
import { defaultAndRange, schemaAt } from '../src/extension/host/schemaHover';

const root = join(__dirname, '..');
const template = readFileSync(join(root, 'templates', 'quick-start.denoise.json'), 'utf8');

test('an unknown field is placed on its key with the CLI\'s "did you mean", and the fix renames it', () => {
  const text = template.replace('"learningRate"', '"learningrate"').replace('"noise": {', '"noise": { "mode": "fixd",');
  const diagnostics = configDiagnostics(text);
  const unknown = diagnostics.find((d) => d.path === 'training.learningrate');
  assert.ok(unknown, JSON.stringify(diagnostics));
  assert.equal(text.slice(unknown.offset, unknown.offset + unknown.length), '"learningrate"');
  assert.equal(unknown.message, 'training.learningrate: unknown field; did you mean "learningRate"?');
  assert.deepEqual(unknown.fix, { title: 'Change to "learningRate"', text: '"learningRate"' });
  const mode = diagnostics.find((d) => d.path === 'noise.mode');
  assert.ok(
    mode && text.slice(mode.offset, mode.offset + mode.length) === '"fixd"',
    'the misspelt value is underlined',
  );
  assert.equal(mode.fix?.text, '"fixed"');
  const fixed = text.slice(0, unknown.offset) + unknown.fix.text + text.slice(unknown.offset + unknown.length);
  assert.ok(!configDiagnostics(fixed).some((d) => d.path.startsWith('training.')), 'the fix clears the problem');
  assert.deepEqual(configDiagnostics(template), [], 'a valid template has none');
});

test('an out-of-range value is placed on the value; broken JSON on its position', () => {
  const text = template.replace(/"epochs": \d+/, '"epochs": 0');
  const epochs = configDiagnostics(text).find((d) => d.path === 'training.epochs')!;
  assert.equal(text.slice(epochs.offset, epochs.offset + epochs.length), '0');
  const broken = configDiagnostics('{ "name": ');
  assert.equal(broken.length, 1);
  assert.match(broken[0].message, /^invalid JSON/);
});

test('the hover names the default and the range, in a noise step by its type too', () => {
  const schema = JSON.parse(readFileSync(join(root, 'schema', 'denoise-experiment.schema.json'), 'utf8')) as object;
  const document = { noise: { steps: [{ type: 'saltPepper', amount: 0.1 }] }, model: { type: 'dense' } };
  assert.equal(
    defaultAndRange(schemaAt(schema, ['training', 'learningRate'], document)),
    'Default: `1` · Range: > 0 and ≤ 100',
  );
  assert.equal(
    defaultAndRange(schemaAt(schema, ['noise', 'steps', 0, 'amount'], document)),
    'Default: `0.1` · Range: ≥ 0 and ≤ 1',
  );
  assert.match(
    defaultAndRange(schemaAt(schema, ['noise', 'mode'], document)) ?? '',
    /One of: `"fixed"`, `"freshEachEpoch"`/,
  );
});
