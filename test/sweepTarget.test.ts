/**
 * Run Sweep acts on the experiment that has a sweep and says which file it refuses (issue 21, item 8).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasSweepSection, sweepFileFrom, sweepRefusal } from '../src/extension/host/sweepTarget';

const root = join(__dirname, '..');
const table1 = {
  path: '/ws/seed-table1.denoise.json',
  text: readFileSync(join(root, 'examples', 'seed-table1.denoise.json'), 'utf8'),
};
const single = {
  path: '/ws/quick.denoise.json',
  text: readFileSync(join(root, 'templates', 'quick-start.denoise.json'), 'utf8'),
};

test('the focused editor without a sweep does not take the command: the open experiment with one does', () => {
  assert.ok(hasSweepSection(table1.text) && !hasSweepSection(single.text));
  assert.equal(sweepFileFrom([single, table1, single]), table1.path);
  assert.equal(sweepFileFrom([table1, single]), table1.path);
  assert.equal(sweepFileFrom([single]), undefined, 'none open: the user picks among the experiments with sweeps');
  assert.equal(hasSweepSection('{ "sweep": { "grid": {} }, '), true, 'an unsaved, half-typed file still counts');
});

test('a file without a sweep is refused by name, saying what to add', () => {
  const message = sweepRefusal('/ws/quick.denoise.json', [
    { path: 'sweep', message: 'is missing: add a sweep section with grid, runs or random' },
  ]);
  assert.equal(
    message,
    'quick.denoise.json has no "sweep" section: add one with grid, runs or random to run many experiments, or use Run Experiment for one run.',
  );
  assert.match(
    sweepRefusal('/ws/s.denoise.json', [{ path: 'sweep.grid.x', message: 'unknown field' }]),
    /^The sweep of s\.denoise\.json cannot run \(1 problem\): sweep\.grid\.x: unknown field$/,
  );
});
