/**
 * The epoch slider's images on the host (issue 21's target: a slider step within 100 ms with 50 runs
 * compared): each run's epoch image is read once, the neighbouring epochs are read ahead in the background,
 * and memory stays within a byte budget.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EpochImageCache } from '../src/extension/host/epochImageCache';
import type { EncodedSamples } from '../src/protocol/webviewMessages';

const samples = (tag: string): EncodedSamples => ({
  count: 1,
  height: 1,
  width: 1,
  clean: 'AA==',
  noisy: 'AA==',
  denoised: tag,
});

function setup(budget?: number) {
  const reads: string[] = [];
  const pending: (() => void)[] = [];
  const cache = new EpochImageCache(
    (runDir, epoch) => {
      reads.push(`${runDir}@${epoch}`);
      return epoch <= 10 ? samples(`${runDir}@${epoch}`) : undefined;
    },
    budget,
    (work) => pending.push(work),
  );
  const drain = () => {
    while (pending.length) pending.shift()!();
  };
  return { cache, reads, drain };
}

test('a slider step reads each run once; the epochs next to it are read ahead first, then the rest', () => {
  const { cache, reads, drain } = setup();
  const runs = ['/a', '/b', '/c'];
  assert.deepEqual(
    cache.samples(runs, 5, 10).map((s) => s?.denoised),
    ['/a@5', '/b@5', '/c@5'],
  );
  assert.equal(reads.length, 3, 'only the epoch asked for is read before answering');
  drain();
  const epochsRead = reads.slice(3).map((r) => Number(r.split('@')[1]));
  assert.deepEqual(epochsRead.slice(0, 12).sort(), [3, 3, 3, 4, 4, 4, 6, 6, 6, 7, 7, 7], 'the neighbours come first');
  assert.deepEqual(
    [...new Set(epochsRead.slice(12))],
    [2, 8, 1, 9, 10],
    'then every other epoch, nearest first, with no epoch 0 or 11',
  );
  reads.length = 0;
  for (const epoch of [4, 1, 10])
    assert.deepEqual(
      cache.samples(runs, epoch).map((s) => s?.denoised),
      runs.map((r) => `${r}@${epoch}`),
    );
  assert.deepEqual(reads, [], 'a step and jumps to either end answered from what was read ahead');
});

test('a newer request replaces what an older one queued: its own neighbours are read first', () => {
  const { cache, reads, drain } = setup();
  cache.samples(['/a'], 1, 2);
  cache.samples(['/a'], 9, 10);
  drain();
  assert.deepEqual(reads, ['/a@1', '/a@9', '/a@8', '/a@10', '/a@7', '/a@6', '/a@5', '/a@4', '/a@3', '/a@2']);
});

test('an epoch without images is asked again later (a training run may write it meanwhile)', () => {
  const { cache, reads } = setup();
  assert.deepEqual(cache.samples(['/a'], 11), [undefined]);
  assert.deepEqual(cache.samples(['/a'], 11), [undefined]);
  assert.deepEqual(reads.filter((r) => r === '/a@11').length, 2);
});

test('beyond its byte budget the least recently used images are dropped', () => {
  // An entry costs its output's base64 text plus 64, and a run's inputs ("AA==" twice) are counted once:
  // 10 ("/aaaaaaa@1") + 64 + 8 = 82 bytes for the first, 74 for the next ones; three fit in 246.
  const { cache } = setup(82 * 3);
  for (const epoch of [1, 2, 3]) cache.samples(['/aaaaaaa'], epoch, 3);
  assert.equal(cache.keptBytes(), 82 + 74 + 74);
  cache.samples(['/aaaaaaa'], 1, 3); // used again: now the newest
  cache.samples(['/aaaaaaa'], 4, 10);
  assert.equal(cache.has('/aaaaaaa', 2), false, 'the least recently used went');
  assert.equal(cache.has('/aaaaaaa', 1), true);
  assert.equal(cache.has('/aaaaaaa', 4), true);
});

test('reading far epochs ahead stops at the budget and never pushes out the neighbours of the slider', () => {
  // Entries of /a@N cost 4 + 64 = 68 bytes (the first 76): room for 6, not 7.
  const budget = 76 + 5 * 68 + 8;
  const { cache, reads, drain } = setup(budget);
  cache.samples(['/a'], 5, 10);
  drain();
  for (const epoch of [3, 4, 5, 6, 7]) assert.equal(cache.has('/a', epoch), true, `epoch ${epoch} kept`);
  assert.ok(cache.keptBytes() <= budget, `${cache.keptBytes()} bytes kept`);
  assert.equal(reads.length, 6, `read ${reads.join(' ')}: the far epochs stop when the budget is full`);
});

test("comparing runs reads the epochs before their last ahead, so the slider's first step reads nothing", () => {
  const { cache, reads, drain } = setup();
  cache.readAround(['/a', '/b'], 11, 10);
  assert.deepEqual(reads, [], 'nothing is read before the comparison is answered');
  drain();
  assert.deepEqual(reads.slice(0, 4).sort(), ['/a@10', '/a@9', '/b@10', '/b@9'].sort());
  assert.equal(reads.length, 20, 'then every epoch of both runs');
  reads.length = 0;
  cache.samples(['/a', '/b'], 9);
  assert.deepEqual(reads, []);
});

test('the clean and noisy inputs an epoch repeats are kept once a run', () => {
  const { cache } = setup();
  for (let epoch = 1; epoch <= 10; epoch++) cache.samples(['/a'], epoch, 10);
  // Ten outputs of "/a@N" (4 characters, "/a@10" 5) plus 64 each, and the inputs' 8 once.
  assert.equal(cache.keptBytes(), 9 * 4 + 5 + 10 * 64 + 8);
});

test("a run's inputs leave the budget with its last kept epoch", () => {
  // "/a@1" and "/b@N" cost 4 + 64 = 68 bytes each, and each run's inputs 8 once: room for /a's one and
  // /b's first, not /b's second.
  const { cache } = setup(2 * (68 + 8));
  cache.samples(['/a'], 1, 1);
  cache.samples(['/b'], 1, 2);
  assert.equal(cache.keptBytes(), 2 * (68 + 8));
  cache.samples(['/b'], 2, 2);
  assert.equal(cache.has('/a', 1), false, "/a's epoch went to make room");
  assert.equal(cache.keptBytes(), 8 + 2 * 68, "and its inputs' 8 bytes with it");
});
