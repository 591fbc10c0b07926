import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunQueue } from '../src/extension/host/runQueue';

/** Jobs that finish when the test says so, recording when they start. */
function controllableJobs() {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const run = (job: string) =>
    new Promise<void>((resolve) => {
      started.push(job);
      finishers.set(job, resolve);
    });
  const finish = async (job: string) => {
    finishers.get(job)?.();
    await new Promise((r) => setImmediate(r));
  };
  return { started, run, finish };
}

test('runs beyond the limit wait, in order, and start as slots free up', async () => {
  const jobs = controllableJobs();
  const queue = new RunQueue<string>(2, jobs.run);
  assert.deepEqual(
    ['a', 'b', 'c', 'd'].map((j) => queue.add(j)),
    ['started', 'started', 'queued', 'queued'],
  );
  assert.deepEqual(jobs.started, ['a', 'b']);
  assert.deepEqual([queue.position('c'), queue.position('d'), queue.position('a')], [1, 2, 0]);

  await jobs.finish('b');
  assert.deepEqual(jobs.started, ['a', 'b', 'c']);
  assert.deepEqual(queue.running, ['a', 'c']);
  assert.deepEqual(queue.queued, ['d']);
  await jobs.finish('a');
  await jobs.finish('c');
  await jobs.finish('d');
  assert.deepEqual(jobs.started, ['a', 'b', 'c', 'd']);
  assert.deepEqual([queue.running, queue.queued], [[], []]);
});

test('a waiting run can be taken out of the queue; a running one cannot', async () => {
  const jobs = controllableJobs();
  const queue = new RunQueue<string>(1, jobs.run);
  queue.add('a');
  queue.add('b');
  queue.add('c');
  assert.equal(queue.remove('b'), true);
  assert.equal(queue.remove('a'), false, 'a is running');
  assert.equal(queue.remove('b'), false, 'already removed');
  await jobs.finish('a');
  assert.deepEqual(jobs.started, ['a', 'c']);
});

test('raising the limit starts waiting runs at once; lowering it lets running ones finish', async () => {
  const jobs = controllableJobs();
  const queue = new RunQueue<string>(1, jobs.run);
  for (const j of ['a', 'b', 'c', 'd']) queue.add(j);
  queue.setLimit(3);
  assert.deepEqual(jobs.started, ['a', 'b', 'c']);
  queue.setLimit(1);
  assert.deepEqual(queue.running, ['a', 'b', 'c'], 'nothing is stopped by a lower limit');
  await jobs.finish('a');
  await jobs.finish('b');
  assert.deepEqual(jobs.started, ['a', 'b', 'c'], 'd waits: c alone already fills the lowered limit');
  await jobs.finish('c');
  assert.deepEqual(jobs.started, ['a', 'b', 'c', 'd']);
});

test('a limit below one still runs one at a time rather than none', () => {
  const jobs = controllableJobs();
  const queue = new RunQueue<string>(0, jobs.run);
  assert.equal(queue.add('a'), 'started');
  assert.equal(queue.add('b'), 'queued');
});
