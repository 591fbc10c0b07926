/**
 * A copied example keeps its schema support (issue 21, item 4): no shipped experiment names a "$schema"
 * path (one relative to this repository does not resolve in a user's workspace and overrides the
 * extension's association); the extension associates every *.denoise.json, and this repository maps its
 * own folders for editing it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';

const root = join(__dirname, '..');
const experiments = ['examples', 'templates'].flatMap((folder) =>
  readdirSync(join(root, folder))
    .filter((f) => f.endsWith('.denoise.json'))
    .map((f) => join(folder, f)),
);

test('no example or template carries a "$schema" that would override the extension\'s schema', () => {
  assert.ok(experiments.length > 10);
  const withSchema = experiments.filter(
    (f) => '$schema' in (JSON.parse(readFileSync(join(root, f), 'utf8')) as object),
  );
  assert.deepEqual(withSchema, []);
});

test('the extension associates the schema with every *.denoise.json, and the repository maps its own folders', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    contributes: { jsonValidation: { fileMatch: string; url: string }[] };
  };
  assert.deepEqual(manifest.contributes.jsonValidation, [
    { fileMatch: '*.denoise.json', url: './schema/denoise-experiment.schema.json' },
  ]);
  const settings = parse(readFileSync(join(root, '.vscode', 'settings.json'), 'utf8')) as {
    'json.schemas': { fileMatch: string[]; url: string }[];
  };
  const mapping = settings['json.schemas'][0];
  assert.ok(existsSync(join(root, mapping.url)));
  assert.ok(
    mapping.fileMatch.includes('/examples/*.denoise.json') && mapping.fileMatch.includes('/templates/*.denoise.json'),
  );
});
