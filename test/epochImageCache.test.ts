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

test('a slider step reads each run once; the next step was read ahead and reads nothing', () => {
  const { cache, reads, drain } = setup();
  const runs = ['/a', '/b', '/c'];
  assert.deepEqual(
    cache.samples(runs, 5, 10).map((s) => s?.denoised),
    ['/a@5', '/b@5', '/c@5'],
  );
  assert.equal(reads.length, 3, 'only the epoch asked for is read before answering');
  drain();
  assert.deepEqual(
    reads.slice(3).sort(),
    ['/a@3', '/a@4', '/a@6', '/a@7', '/b@3', '/b@4', '/b@6', '/b@7', '/c@3', '/c@4', '/c@6', '/c@7'].sort(),
  );
  reads.length = 0;
  assert.deepEqual(
    cache.samples(runs, 4, 10).map((s) => s?.denoised),
    ['/a@4', '/b@4', '/c@4'],
  );
  assert.deepEqual(reads, [], 'answered from what was read ahead');
});

test('read-ahead stays within the epochs and a newer request replaces what an older one queued', () => {
  const { cache, reads, drain } = setup();
  cache.samples(['/a'], 1, 2);
  cache.samples(['/a'], 9, 10);
  drain();
  assert.deepEqual(reads, ['/a@1', '/a@9', '/a@8', '/a@10', '/a@7'], 'no epoch 0 or 11, nothing left of epoch 1');
});

test('an epoch without images is asked again later (a training run may write it meanwhile)', () => {
  const { cache, reads } = setup();
  assert.deepEqual(cache.samples(['/a'], 11), [undefined]);
  assert.deepEqual(cache.samples(['/a'], 11), [undefined]);
  assert.deepEqual(reads.filter((r) => r === '/a@11').length, 2);
});

test('beyond its byte budget the least recently used images are dropped', () => {
  // Each entry is its base64 text plus 64: 4 + 4 + 10 ("/aaaaaaa@1") + 64 = 82 bytes here, three fit.
  const { cache } = setup(82 * 3);
  for (const epoch of [1, 2, 3]) cache.samples(['/aaaaaaa'], epoch, 3);
  cache.samples(['/aaaaaaa'], 1, 3); // used again: now the newest
  cache.samples(['/aaaaaaa'], 4, 10);
  assert.equal(cache.has('/aaaaaaa', 2), false, 'the least recently used went');
  assert.equal(cache.has('/aaaaaaa', 1), true);
  assert.equal(cache.has('/aaaaaaa', 4), true);
});

test("comparing runs reads the epochs before their last ahead, so the slider's first step reads nothing", () => {
  const { cache, reads, drain } = setup();
  cache.readAround(['/a', '/b'], 11, 10);
  assert.deepEqual(reads, [], 'nothing is read before the comparison is answered');
  drain();
  assert.deepEqual(reads.sort(), ['/a@10', '/a@9', '/b@10', '/b@9'].sort());
  reads.length = 0;
  cache.samples(['/a', '/b'], 9, 10);
  assert.deepEqual(reads, []);
});
