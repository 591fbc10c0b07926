import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { experimentRunsDir } from '../src/extension/host/runsFolders';
import { DEFAULT_SETTINGS, readSettings, settingsOverrides, settingsRunsDir } from '../src/extension/host/runSettings';

const read = (values: Record<string, unknown>) => readSettings((key) => values[key]);

test('settings written by hand fall back to their defaults when wrong, one by one', () => {
  assert.deepEqual(read({}), DEFAULT_SETTINGS);
  assert.deepEqual(read({ runsFolder: 42, engine: 'gpu', blasThreads: -1, maxParallelRuns: 1.5 }), DEFAULT_SETTINGS);
  assert.deepEqual(read({ runsFolder: ' runs ', engine: 'wasm', blasThreads: 4, maxParallelRuns: 3 }), {
    runsFolder: 'runs',
    engine: 'wasm',
    blasThreads: 4,
    maxParallelRuns: 3,
  });
});

test('the engine and BLAS threads settings become config overrides; their defaults leave the experiment alone', () => {
  assert.deepEqual(settingsOverrides(DEFAULT_SETTINGS), []);
  assert.deepEqual(settingsOverrides({ ...DEFAULT_SETTINGS, engine: 'cpu', blasThreads: 2 }), [
    'compute.engine=cpu',
    'compute.threads=2',
  ]);
});

test('a relative runs folder is resolved from the workspace folder; empty means the experiment decides', () => {
  assert.equal(settingsRunsDir(DEFAULT_SETTINGS, '/ws'), undefined);
  assert.equal(settingsRunsDir({ ...DEFAULT_SETTINGS, runsFolder: 'out/runs' }, '/ws'), '/ws/out/runs');
  assert.equal(settingsRunsDir({ ...DEFAULT_SETTINGS, runsFolder: '/data/runs' }, '/ws'), '/data/runs');
  assert.equal(settingsRunsDir({ ...DEFAULT_SETTINGS, runsFolder: 'out/runs' }, undefined), undefined);
});

test("an experiment's runs go to the settings' folder when set, else to its own output.runsDir, else denoise-runs", () => {
  const dir = mkdtempSync(join(tmpdir(), 'denoise-ws-'));
  const own = join(dir, 'own.denoise.json');
  writeFileSync(
    own,
    JSON.stringify({
      dataset: { source: 'mnist' },
      noise: { steps: [] },
      model: { type: 'dense' },
      output: { runsDir: 'results' },
    }),
  );
  const broken = join(dir, 'broken.denoise.json');
  writeFileSync(broken, '{ "output": { "runsDir": ');
  assert.equal(experimentRunsDir(own, undefined), join(dir, 'results'));
  assert.equal(
    experimentRunsDir(broken, undefined),
    join(dir, 'denoise-runs'),
    "a broken file's earlier runs stay visible",
  );
  assert.equal(experimentRunsDir(own, '/data/runs'), '/data/runs');
});
