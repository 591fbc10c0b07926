/**
 * The trainer really forked from dist/trainer.js (built by `npm test` before the tests run) on tiny MNIST
 * experiments: what the extension host sees of a run, a stop, a crash and bad input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeRun } from '../src/core/runs/listRuns';
import { TrainerProcess, type TrainerOutcome } from '../src/extension/host/trainerProcess';
import type { TrainerToHost } from '../src/protocol/trainerMessages';
import { writeTinyExperiment } from './helpers/tinyExperiment';
import { trainerPath } from './helpers/builtTrainer';

const tiny = (training: Record<string, unknown> = {}, name = 'tiny') =>
  writeTinyExperiment(
    {
      dataset: { trainSize: 300, valSize: 100, testSize: 100 },
      model: { depth: 3, codeSize: 32 },
      training: { epochs: 1, batchSize: 32, ...training },
    },
    name,
  );

function startTrainer(configFile: string, options: { stopAnswerMs?: number } = {}) {
  const messages: TrainerToHost[] = [];
  const output: string[] = [];
  const waiters: { test: (m: TrainerToHost) => boolean; resolve: () => void }[] = [];
  const trainer = new TrainerProcess(
    { type: 'start', configFile, overrides: [] },
    {
      trainerPath,
      ...options,
      onMessage: (m) => {
        messages.push(m);
        for (const w of waiters.filter((w) => w.test(m))) w.resolve();
      },
      onOutput: (line) => output.push(line),
      onRejected: (reason) => assert.fail(`the trainer sent a malformed message: ${reason}`),
    },
  );
  const firstBatch = new Promise<void>((resolve) =>
    waiters.push({ test: (m) => m.type === 'event' && m.event.type === 'batch', resolve }),
  );
  return { trainer, messages, output, firstBatch };
}

const events = (messages: TrainerToHost[]) => messages.flatMap((m) => (m.type === 'event' ? [m.event.type] : [m.type]));

function assertGone(pid: number | undefined): void {
  assert.ok(pid);
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `trainer ${pid} is still running`);
}

test('a run reports its events, throttled batches, sample images and a summary, then the trainer exits', async () => {
  // 2 epochs of 38 batches: far more than ten a second on any machine that trains at all.
  const { trainer, messages, output } = startTrainer(tiny({ epochs: 2, batchSize: 8 }));
  const outcome = await trainer.outcome;
  assert.equal(outcome.kind, 'summary');
  assert.equal(outcome.kind === 'summary' && outcome.summary.status, 'completed');
  const types = events(messages);
  assert.equal(types[0], 'started');
  assert.deepEqual(types.slice(-2), ['finished', 'summary']);
  assert.equal(types.filter((t) => t === 'epoch').length, 2);
  assert.equal(types.filter((t) => t === 'samples').length, 2);
  const batches = messages.flatMap((m) => (m.type === 'event' && m.event.type === 'batch' ? [m.event] : []));
  assert.ok(batches.length >= 2 && batches.length < 76, `${batches.length} of 76 batch events passed the throttle`);
  assert.deepEqual(
    batches.filter((b) => b.batch === b.batchesPerEpoch).map((b) => b.epoch),
    [1, 2],
    "each epoch's last batch is reported",
  );
  const samples = messages.find((m) => m.type === 'event' && m.event.type === 'samples');
  assert.ok(
    samples?.type === 'event' &&
      samples.event.type === 'samples' &&
      samples.event.images.denoised instanceof Uint8Array,
  );
  assert.ok(
    output.some((l) => /^epoch 2\/2 +train/.test(l)),
    `the log has the epoch lines:\n${output.join('\n')}`,
  );
  assertGone(trainer.pid);
});

test('stop ends the run after its batch: results written, status stopped, no process left', async () => {
  const { trainer, messages, firstBatch } = startTrainer(tiny({ epochs: 50, batchSize: 8 }));
  await firstBatch;
  trainer.stop();
  const outcome = await trainer.outcome;
  assert.equal(outcome.kind, 'summary', JSON.stringify(outcome));
  if (outcome.kind !== 'summary') return;
  assert.equal(outcome.summary.status, 'stopped');
  assert.match(outcome.summary.message, /Stopped by the user after \d+ of 50 epochs/);
  assert.ok(events(messages).includes('stopping'), 'the trainer acknowledged the stop');
  assert.equal(describeRun(outcome.summary.runDir).status, 'stopped', 'the run folder says stopped');
  assertGone(trainer.pid);
});

test('a trainer killed with SIGKILL is reported as a crash with the last lines it printed', async () => {
  const { trainer, firstBatch } = startTrainer(tiny({ epochs: 50, batchSize: 8 }));
  await firstBatch;
  process.kill(trainer.pid!, 'SIGKILL');
  const outcome: TrainerOutcome = await trainer.outcome;
  assert.equal(outcome.kind, 'crashed');
  if (outcome.kind !== 'crashed') return;
  assert.equal(outcome.reason, 'killed by signal SIGKILL');
  assert.ok(
    outcome.stderrTail.some((l) => l.startsWith('Engine: ')),
    `tail: ${outcome.stderrTail.join(' | ')}`,
  );
  assert.ok(outcome.stderrTail.some((l) => l.startsWith('Run tiny -> ')));
});

test('a config with schema errors is refused by the trainer as bad input, naming the field', async () => {
  const file = tiny({ learningrate: 0.1 });
  const { trainer, messages } = startTrainer(file);
  const outcome = await trainer.outcome;
  assert.equal(outcome.kind, 'error');
  if (outcome.kind !== 'error') return;
  assert.equal(outcome.failure, 'badInput');
  assert.deepEqual(
    outcome.problems.map((p) => p.path),
    ['training.learningrate'],
  );
  assert.match(outcome.problems[0].message, /did you mean "learningRate"/);
  assert.ok(!events(messages).includes('started'), 'nothing trained');
});

test('a missing dataset file is bad input whose message names the path', async () => {
  const file = writeTinyExperiment({
    dataset: {
      source: 'idx',
      trainImages: 'no-such-images.idx',
      testImages: 'no-such-test.idx',
      trainSize: 10,
      valSize: 5,
      testSize: 5,
    },
  });
  const outcome = await startTrainer(file).trainer.outcome;
  assert.equal(outcome.kind, 'error');
  assert.equal(outcome.kind === 'error' && outcome.failure, 'badInput');
  assert.match(outcome.kind === 'error' ? outcome.message : '', /no-such-images\.idx/);
});

test('the trainer ignores a malformed request, says why, and still serves a valid one', async () => {
  const child = fork(trainerPath, [], {
    execArgv: [],
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const replies: unknown[] = [];
  child.on('message', (m) => replies.push(m));
  child.send({ type: 'start', configFile: 42, overrides: [] });
  child.send({ type: 'preview', configFile: tiny(), overrides: [], count: 2 });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.match(stderr, /Ignored a malformed message from the extension: start\.configFile: expected a string, got 42/);
  assert.equal(code, 0);
  const preview = replies.at(-1) as { type: string; columns: { label: string; pixels: Uint8Array }[] };
  assert.equal(preview.type, 'preview');
  assert.deepEqual(
    preview.columns.map((c) => c.label),
    ['clean', 'gaussian', 'saltPepper', 'combined'],
  );
  assert.equal(preview.columns[0].pixels.length, 2 * 28 * 28);
});

/** A stand-in trainer that never answers: for the host's timeouts, which a real trainer rarely needs. */
function unresponsiveTrainer(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'denoise-fake-')), 'stuck-trainer.js');
  writeFileSync(
    file,
    "process.on('message', () => {}); process.stderr.write('busy in a very long batch\\n'); setInterval(() => {}, 1000);\n",
  );
  return file;
}

test('a trainer that does not finish its batch after a stop is killed, and the user is told why', async () => {
  let busy = () => {};
  const printed = new Promise<void>((resolve) => (busy = resolve));
  const trainer = new TrainerProcess(
    { type: 'start', configFile: '/nowhere', overrides: [] },
    { trainerPath: unresponsiveTrainer(), stopAnswerMs: 300, onOutput: () => busy() },
  );
  await printed;
  const stopped = Date.now();
  trainer.stop();
  const outcome = await trainer.outcome;
  assert.equal(outcome.kind, 'killed');
  assert.equal(
    outcome.kind === 'killed' && outcome.reason,
    'did not finish its batch within 0.3 s of the stop request',
  );
  assert.deepEqual(outcome.kind === 'killed' && outcome.stderrTail, ['busy in a very long batch']);
  assert.ok(Date.now() - stopped < 5000);
  assertGone(trainer.pid);
});

test('a second stop kills the trainer at once', async () => {
  const trainer = new TrainerProcess(
    { type: 'start', configFile: '/nowhere', overrides: [] },
    { trainerPath: unresponsiveTrainer(), stopAnswerMs: 60_000 },
  );
  trainer.stop();
  trainer.stop();
  const outcome = await trainer.outcome;
  assert.equal(outcome.kind === 'killed' && outcome.reason, 'was asked to stop twice');
  assertGone(trainer.pid);
});
