/**
 * Run Sweep's host side: a sweep's runs queued through the extension's run service (trainer really
 * forked from dist/trainer.js), and the same results table as `denoise sweep` written when all ended.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSweep } from '../src/core/sweep/expandSweep';
import { RunService, type RunUpdate } from '../src/extension/host/runService';
import { submitSweep } from '../src/extension/host/sweepRuns';
import { writeTinyExperiment } from './helpers/tinyExperiment';
import { trainerPath } from './helpers/builtTrainer';

test('a sweep queues its runs in the run service within its parallel limit and writes results.md and results.csv when all ended', async () => {
  const file = writeTinyExperiment(
    {
      dataset: { trainSize: 300, valSize: 100, testSize: 100 },
      model: { depth: 3, codeSize: 16 },
      training: { epochs: 1 },
    },
    'ext-sweep',
  );
  const config = JSON.parse(readFileSync(file, 'utf8'));
  const sweep = {
    runs: [
      { set: { 'model.codeSize': 8 } },
      { label: 'from nowhere', set: { 'training.startFrom': { run: 'latest:never-ran' } } },
      { set: { 'model.codeSize': 24 } },
    ],
  };
  writeFileSync(file, JSON.stringify({ ...config, sweep }));

  const service = new RunService({ trainerPath, maxParallel: 1, isTrusted: () => true });
  const updates: RunUpdate[] = [];
  service.onUpdate((u) => updates.push(u));
  const runsDir = join(dirname(file), 'denoise-runs');
  const submitted = submitSweep(service, { plan: loadSweep(file), runsDir, settingsOverrides: ['compute.threads=1'] });
  assert.deepEqual(
    submitted.runs.map((r) => r.phase),
    ['running', 'queued', 'queued'],
    'one at a time, the others wait in the queue',
  );
  assert.equal(dirname(submitted.folder), runsDir);

  const { outcomes, files } = await submitted.done;
  assert.deepEqual(
    outcomes.map((o) => [o.label, o.status]),
    [
      ['ext-sweep codeSize=8', 'completed'],
      ['ext-sweep from nowhere', 'badInput'],
      ['ext-sweep codeSize=24', 'completed'],
    ],
  );
  assert.ok(updates.filter((u) => u.kind === 'ended').length === 3);
  const csv = readFileSync(files.csv, 'utf8').trim().split('\n');
  assert.equal(csv.length, 4);
  assert.match(
    csv[1],
    /^ext-sweep codeSize=8,completed,"dense 784-8-784[^"]*",[^,]+,3,8,adam,0\.002,1,1,32,0\.\d+,0\.\d+,0\.\d+,\d+\.\d\d,/,
  );
  assert.match(csv[2], /^ext-sweep from nowhere,badInput,,/);
  assert.match(csv[3], /^ext-sweep codeSize=24,completed,/);
  const markdown = readFileSync(files.markdown, 'utf8');
  assert.match(markdown, /- ext-sweep from nowhere: badInput: .*never-ran/);
  // The settings' overrides reach each run, after the sweep's own values.
  const runConfig = JSON.parse(readFileSync(join(outcomes[0].runDir!, 'config.json'), 'utf8'));
  assert.deepEqual([runConfig.compute.threads, runConfig.model.codeSize], [1, 8]);
});
