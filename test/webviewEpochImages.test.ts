/**
 * The page's memory of the epoch slider's images: a byte-bounded LRU, and the requests it makes so that a
 * step finds its images kept and a jump shows the nearest kept epoch until the real one arrives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteLru } from '../webview/state/byteLru';
import { EpochImages, type EpochAnswer } from '../webview/state/epochImages';

test('the LRU hands back what was put, stays within its bytes and drops the least recently used first', () => {
  const lru = new ByteLru<string, string>(10, (v) => v.length);
  lru.set('a', 'aaaa');
  lru.set('b', 'bbbb');
  assert.equal(lru.get('a'), 'aaaa');
  assert.equal(lru.bytes, 8);
  // 'b' is now the oldest (a was read): it goes to make room.
  lru.set('c', 'ccc');
  assert.equal(lru.get('b'), undefined);
  assert.deepEqual(lru.keys(), ['a', 'c']);
  assert.equal(lru.bytes, 7);
  // Replacing a key counts its new size only.
  lru.set('a', 'a');
  assert.equal(lru.bytes, 4);
  // A value larger than the budget is not kept, and pushes nothing out.
  lru.set('big', 'x'.repeat(11));
  assert.equal(lru.has('big'), false);
  assert.deepEqual(lru.keys(), ['c', 'a']);
  lru.clear();
  assert.equal(lru.bytes, 0);
  assert.equal(lru.size, 0);
});

const answer = (epoch: number, runs = 2, size = 100): EpochAnswer =>
  new Map(
    Array.from({ length: runs }, (_, r) => [
      `/runs/${r}`,
      { count: 1, height: 1, width: 1, noisy: 'n'.repeat(size), denoised: String(epoch).padEnd(size, '=') },
    ]),
  );

/** An EpochImages whose requests are recorded; `answerNext` answers the one outstanding. */
function harness(lastEpoch: number, budget?: number) {
  const asked: number[] = [];
  const images = new EpochImages((e) => asked.push(e), budget);
  images.reset(lastEpoch);
  return { asked, images, answerNext: () => images.receive(asked.at(-1)!, answer(asked.at(-1)!)) };
}

test('a step asks for its epoch, then for the epochs on each side, one request at a time', () => {
  const { asked, images, answerNext } = harness(100);
  assert.equal(images.want(50), undefined, 'nothing kept yet: nothing to show');
  assert.deepEqual(asked, [50]);
  assert.deepEqual(answerNext(), { epoch: 50, byRun: answer(50), exact: true });
  // Read ahead: 49, 51, 48, 52, each asked when the one before is answered, none shown.
  for (const next of [49, 51, 48, 52]) {
    assert.equal(asked.at(-1), next);
    assert.equal(answerNext(), undefined);
  }
  assert.equal(asked.length, 5, 'nothing more to ask once the neighbours are kept');
  // The step to 49 is drawn from memory, with no request, and asks for 47 ahead.
  assert.deepEqual(images.want(49), { epoch: 49, byRun: answer(49), exact: true });
  assert.deepEqual(asked.slice(5), [47]);
});

test('a jump to an epoch not kept shows the nearest kept one, then the real one when it is answered', () => {
  const { asked, images, answerNext } = harness(100);
  images.want(10);
  answerNext();
  images.receive(asked.at(-1)!, answer(asked.at(-1)!)); // 9 read ahead; 11 is now asked
  const standIn = images.want(30);
  assert.equal(standIn?.exact, false);
  assert.equal(standIn?.epoch, 10, 'the nearest kept epoch');
  // The read-ahead request out (11) is answered first; then 30 is asked, answered and shown.
  assert.equal(answerNext(), undefined);
  assert.equal(asked.at(-1), 30);
  assert.deepEqual(answerNext(), { epoch: 30, byRun: answer(30), exact: true });
});

test('epochs outside 1..last are never asked for, and answers from before a new comparison are dropped', () => {
  const { asked, images, answerNext } = harness(2);
  images.want(1);
  answerNext();
  answerNext();
  assert.deepEqual(asked, [1, 2]);
  images.want(2);
  assert.deepEqual(asked, [1, 2], 'both epochs kept: nothing asked');
  images.want(1);
  images.reset(5);
  assert.equal(images.receive(2, answer(2)), undefined);
  assert.equal(images.bytes, 0, 'a new comparison starts with nothing kept');
});

test('the kept images stay within the budget, the oldest epochs going first', () => {
  const perEpoch = 2 * (200 + 64) + 64;
  const { asked, images, answerNext } = harness(100, perEpoch * 3);
  for (const e of [10, 20, 30, 40]) {
    images.want(e);
    while (asked.at(-1) !== e) answerNext();
    answerNext();
  }
  assert.ok(images.bytes <= perEpoch * 3, `${images.bytes} bytes kept`);
  // 40 and what was read around it are kept; 10 is long gone, so it comes back only as a stand-in.
  assert.equal(images.want(10)?.exact, false);
});
