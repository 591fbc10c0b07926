/**
 * The run service as the extension uses it, with the trainer really forked from dist/trainer.js:
 * refusals, the parallel limit and its queue, stopping, crashes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeRun } from '../src/core/runs/listRuns';
import { RunService, UNTRUSTED_MESSAGE, type RunUpdate } from '../src/extension/host/runService';
import { writeTinyExperiment } from './helpers/tinyExperiment';
import { trainerPath } from './helpers/builtTrainer';

const tiny = (name: string, training: Record<string, unknown> = {}) =>
  writeTinyExperiment(
    {
      dataset: { trainSize: 300, valSize: 100, testSize: 100 },
      model: { depth: 3, codeSize: 32 },
      training: { epochs: 1, batchSize: 32, ...training },
    },
    name,
  );

function service(options: { maxParallel?: number; trusted?: boolean } = {}) {
  const updates: RunUpdate[] = [];
  const log: string[] = [];
  const runs = new RunService({
    trainerPath,
    maxParallel: options.maxParallel ?? 1,
    isTrusted: () => options.trusted ?? true,
    log: (l) => log.push(l),
  });
  runs.onUpdate((u) => updates.push(u));
  const timeline = () => updates.filter((u) => u.kind !== 'event').map((u) => `${u.kind} ${u.run.name}`);
  return { runs, updates, log, timeline };
}

test('a config with schema errors is refused before any process starts, each problem naming its field', () => {
  const { runs, updates } = service();
  const submitted = runs.submit({ configFile: tiny('bad', { learningrate: 0.1, epochs: 0 }), overrides: [] });
  assert.equal(submitted.ok, false);
  if (submitted.ok) return;
  assert.equal(submitted.reason, 'invalidConfig');
  assert.deepEqual(submitted.problems.map((p) => p.path).sort(), ['training.epochs', 'training.learningrate']);
  assert.match(submitted.message, /is not a valid experiment \(2 problems\)/);
  assert.deepEqual([runs.runs, updates], [[], []]);
});

test('an override from the settings is checked too: a wrong engine name is refused', () => {
  const submitted = service().runs.submit({ configFile: tiny('engine'), overrides: ['compute.engine=gpu'] });
  assert.equal(submitted.ok, false);
  assert.deepEqual(!submitted.ok && submitted.problems.map((p) => p.path), ['compute.engine']);
});

test('no run starts in an untrusted workspace', () => {
  const { runs, updates } = service({ trusted: false });
  const submitted = runs.submit({ configFile: tiny('untrusted'), overrides: [] });
  assert.deepEqual(submitted, { ok: false, reason: 'untrusted', message: UNTRUSTED_MESSAGE, problems: [] });
  assert.deepEqual(updates, []);
});

test('beyond the parallel limit runs wait in the queue and start when one ends; a queued run can be cancelled', async () => {
  const { runs, timeline } = service({ maxParallel: 1 });
  const first = runs.submit({ configFile: tiny('first'), overrides: [] });
  const second = runs.submit({ configFile: tiny('second'), overrides: [] });
  const third = runs.submit({ configFile: tiny('third'), overrides: [] });
  assert.ok(first.ok && second.ok && third.ok);
  assert.deepEqual([first.run.phase, second.run.phase, third.run.phase], ['running', 'queued', 'queued']);
  assert.deepEqual([runs.queuePosition(second.run.id), runs.queuePosition(third.run.id)], [1, 2]);
  assert.equal(runs.stop(third.run.id), true);

  const ended = await Promise.all([
    runs.whenEnded(first.run.id),
    runs.whenEnded(second.run.id),
    runs.whenEnded(third.run.id),
  ]);
  assert.deepEqual(
    ended.map((r) => r.ending),
    ['completed', 'completed', 'cancelled'],
  );
  assert.deepEqual(timeline(), [
    'started first',
    'queued second',
    'queued third',
    'ended third',
    'ended first',
    'started second',
    'ended second',
  ]);
  assert.equal(describeRun(ended[1].runDir!).status, 'completed');
  assert.ok(ended[0].bestValPsnr! > 0, 'the validation PSNR of the run is tracked');
  assert.equal(ended[0].progress?.fraction, 1, 'progress reached the end');
});

test('a stopped run ends as stopped with its results, and stopAll leaves nothing running', async () => {
  const { runs, updates } = service({ maxParallel: 2 });
  const long = { epochs: 50, batchSize: 8 };
  const a = runs.submit({ configFile: tiny('long-a', long), overrides: [] });
  const b = runs.submit({ configFile: tiny('long-b', long), overrides: [] });
  assert.ok(a.ok && b.ok);
  await new Promise<void>((resolve) => {
    const sub = runs.onUpdate((u) => {
      if (u.kind === 'event' && u.event.type === 'batch' && u.run.id === a.run.id) {
        sub.dispose();
        resolve();
      }
    });
  });
  await runs.stopAll();
  assert.deepEqual(
    runs.runs.map((r) => [r.name, r.phase]),
    [
      ['long-a', 'ended'],
      ['long-b', 'ended'],
    ],
  );
  const runA = runs.runs[0];
  assert.equal(runA.ending, 'stopped');
  assert.ok(
    updates.some((u) => u.kind === 'stopping' && u.run.id === a.run.id),
    'the stop was acknowledged',
  );
  assert.equal(describeRun(runA.runDir!).status, 'stopped');
  for (const run of runs.runs) assert.throws(() => process.kill(run.pid!, 0), { code: 'ESRCH' });
});

test('a crashed trainer ends its run as crashed, with its last output for the user', async () => {
  const { runs } = service();
  const submitted = runs.submit({ configFile: tiny('crash', { epochs: 50, batchSize: 8 }), overrides: [] });
  assert.ok(submitted.ok);
  const sub = runs.onUpdate((u) => {
    if (u.kind === 'event' && u.event.type === 'batch') {
      sub.dispose();
      process.kill(u.run.pid!, 'SIGKILL');
    }
  });
  const run = await runs.whenEnded(submitted.run.id);
  assert.equal(run.ending, 'crashed');
  assert.equal(run.message, 'The trainer crashed (killed by signal SIGKILL).');
  assert.ok(
    run.stderrTail?.some((l) => l.startsWith('Model: ')),
    `tail: ${run.stderrTail?.join(' | ')}`,
  );
  assert.equal(describeRun(run.runDir!).status, 'interrupted', 'the run folder no longer claims to be running');
});
