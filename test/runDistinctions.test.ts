/**
 * Runs can be told apart (issue 21, item 3): New Experiment names the experiment after its file, and
 * labels of runs that share a name carry their start time and the config fields that differ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distinguishingLabels, shortTime } from '../src/app/runs/runDistinctions';
import { RESULT_COLUMNS } from '../src/app/results/resultColumns';
import { templateForFile } from '../src/extension/host/templateForFile';
import type { RunRow } from '../src/protocol/webviewMessages';

test('New Experiment saved as my-first.denoise.json is named my-first, the rest of the template untouched', () => {
  const template = readFileSync(join(__dirname, '..', 'templates', 'quick-start.denoise.json'), 'utf8');
  const text = templateForFile(template, 'my-first.denoise.json');
  const parsed = JSON.parse(text) as Record<string, unknown>;
  assert.equal(parsed.name, 'my-first');
  assert.deepEqual({ ...parsed, name: 'quick-start' }, JSON.parse(template));
  assert.equal(text.split('\n').length, template.split('\n').length, 'the layout is kept');
});

test('runs of the same experiment are labelled with their start time and the fields that differ', () => {
  const config = (learningRate: number, epochs = 3) => ({
    name: 'quick-start',
    description: 'x',
    training: { learningRate, epochs, optimizer: 'adam' },
    noise: { steps: [{ type: 'gaussian', variance: 0.01 }] },
  });
  const runs = [
    { runDir: '/r/1', name: 'quick-start', startedAt: '2026-12-02T14:05:00', config: config(0.01) },
    { runDir: '/r/2', name: 'quick-start', startedAt: '2026-12-02T14:09:00', config: config(0.001) },
    { runDir: '/r/3', name: 'seed-best', startedAt: '2026-12-02T14:20:00', config: config(1, 50) },
  ];
  const labels = distinguishingLabels(runs);
  assert.equal(labels.get('/r/1'), 'quick-start · Dec 2 14:05 · training.learningRate=0.01');
  assert.equal(labels.get('/r/2'), 'quick-start · Dec 2 14:09 · training.learningRate=0.001');
  assert.equal(labels.get('/r/3'), 'seed-best · Dec 2 14:20', 'a run alone under its name needs no fields');
  assert.notEqual(labels.get('/r/1'), labels.get('/r/2'));
  assert.equal(shortTime('not a time'), '');
  const nameColumn = RESULT_COLUMNS.find((c) => c.key === 'name')!;
  assert.equal(
    nameColumn.text({ name: 'quick-start', label: labels.get('/r/2') } as RunRow),
    labels.get('/r/2'),
    'the table shows the label',
  );
});

test('nested noise steps that differ are named by their path', () => {
  const run = (variance: number, dir: string) => ({
    runDir: dir,
    name: 'n',
    config: { noise: { steps: [{ type: 'gaussian', variance }] } },
  });
  const labels = distinguishingLabels([run(0.01, '/a'), run(0.3, '/b')]);
  assert.equal(labels.get('/b'), 'n · noise.steps[0].variance=0.3');
});
