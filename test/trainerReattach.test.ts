/**
 * A window reload while a run trains (issue 21, item 2): the trainer, forked from dist/trainer.js as the
 * extension host forks it, goes on training when the host goes away; the next window's run service finds it
 * in its folder and follows it (start, epochs, batches), stops it, and reports how it really ended.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeRun } from '../src/core/runs/listRuns';
import { readEpochRecords } from '../src/core/runs/metricsLog';
import { readRunStatus } from '../src/core/runs/runStatus';
import { RunService, type RunUpdate } from '../src/extension/host/runService';
import { TrainerProcess } from '../src/extension/host/trainerProcess';
import { writeTinyExperiment } from './helpers/tinyExperiment';
import { trainerPath, until } from './helpers/builtTrainer';

/** A long run started by the first window, which then goes away; returns the run folder and pid. */
async function runOrphanedByReload(name: string) {
  const config = writeTinyExperiment(
    { dataset: { trainSize: 2000, valSize: 200, testSize: 200 }, training: { epochs: 200, batchSize: 16 } },
    name,
  );
  let runDir = '';
  let epochs = 0;
  const first = new TrainerProcess(
    { type: 'start', configFile: config, overrides: [] },
    {
      trainerPath,
      onMessage: (m) => {
        if (m.type === 'event' && m.event.type === 'started') runDir = m.event.runDir;
        if (m.type === 'event' && m.event.type === 'epoch') epochs = m.event.epoch;
      },
    },
  );
  await until(() => epochs >= 1, 'the first epoch');
  first.release();
  const pid = first.pid!;
  const epochsAtReload = readEpochRecords(runDir).length;
  return { runDir, pid, epochsAtReload };
}

test('a reload does not end the run: the next window reattaches, shows its progress, and Stop ends it as stopped', async () => {
  const { runDir, pid, epochsAtReload } = await runOrphanedByReload('reload');
  await until(() => readEpochRecords(runDir).length > epochsAtReload, 'an epoch trained after the window went away');
  assert.equal(describeRun(runDir).status, 'running', 'the folder still says running while the trainer lives');
  assert.equal(readRunStatus(runDir)?.pid, pid);

  const service = new RunService({ trainerPath, maxParallel: 1, isTrusted: () => true });
  const updates: RunUpdate[] = [];
  service.onUpdate((u) => updates.push(u));
  const run = service.attach(runDir, { name: 'reload', pid }, 100);
  assert.ok(run);
  assert.equal(service.attach(runDir, { name: 'reload', pid }), undefined, 'a folder is followed once');
  const eventTypes = () => updates.flatMap((u) => (u.kind === 'event' ? [u.event.type] : []));
  await until(() => eventTypes().includes('batch'), 'a batch read from progress.json');
  assert.equal(eventTypes()[0], 'started');
  await until(() => eventTypes().includes('samples'), "the latest epoch's reconstructions, read from its image");
  assert.ok(eventTypes().filter((t) => t === 'epoch').length >= epochsAtReload + 1, 'the curve so far is replayed');
  assert.equal(service.runs[0].progress?.epochs, 200);

  assert.ok(service.stop(run.id));
  const ended = await service.whenEnded(run.id);
  assert.equal(ended.ending, 'stopped');
  assert.match(ended.message ?? '', /^Stopped by the user after \d+ of 200 epochs\.$/);
  assert.equal(describeRun(runDir).status, 'stopped');
  assert.ok(existsSync(join(runDir, 'model', 'model.json')), 'the stopped run wrote its model');
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'no trainer left running');
});

test('a trainer ended by SIGTERM says so, and one killed outright reads as interrupted, not stopped by the user', async () => {
  const polite = await runOrphanedByReload('sigterm');
  process.kill(polite.pid, 'SIGTERM');
  await until(() => describeRun(polite.runDir).summary !== undefined, 'the summary after SIGTERM');
  assert.match(
    describeRun(polite.runDir).summary!.message,
    /^Stopped by SIGTERM \(the system or another program\) after \d+ of 200 epochs\.$/,
  );

  const killed = await runOrphanedByReload('sigkill');
  const service = new RunService({ trainerPath, maxParallel: 1, isTrusted: () => true });
  const run = service.attach(killed.runDir, { name: 'sigkill', pid: killed.pid }, 100)!;
  process.kill(killed.pid, 'SIGKILL');
  const ended = await service.whenEnded(run.id);
  assert.equal(ended.ending, 'interrupted');
  assert.match(ended.message ?? '', /Resume Run continues it/);
});
