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
      { count: 1, height: 1, width: 1, noisy: 'n'.repeat(size), denoised: `${epoch}/${r}`.padEnd(size, '=') },
    ]),
  );

/**
 * An EpochImages whose requests are recorded. `reply(e)` answers epoch e's request; `replyOldest` answers
 * the oldest one still out. The read-ahead that a new comparison starts is answered first unless `fresh` is
 * false.
 */
function harness(lastEpoch: number, budget?: number, fresh = true) {
  const asked: number[] = [];
  const answered = new Set<number>();
  const images = new EpochImages((e) => asked.push(e), budget);
  const reply = (e: number) => {
    answered.add(e);
    return images.receive(e, answer(e));
  };
  const out = () => asked.filter((e, i) => asked.indexOf(e) === i && !answered.has(e));
  const replyOldest = () => reply(out()[0]);
  images.reset(lastEpoch);
  if (fresh) while (out().length) replyOldest();
  return { asked, images, out, reply, replyOldest };
}

test('a new comparison reads ahead the last epoch and the two before it, where the slider starts', () => {
  const { asked, images, out, replyOldest } = harness(100, undefined, false);
  assert.deepEqual(asked, [100], 'the last epoch is asked for before the slider moves');
  for (const next of [99, 98]) {
    assert.equal(replyOldest(), undefined, 'read ahead: not shown');
    assert.deepEqual(out(), [next]);
  }
  replyOldest();
  assert.deepEqual(out(), [], 'epochs 101 and 102 do not exist');
  // The first step back finds its images kept.
  assert.deepEqual(images.want(99), { epoch: 99, byRun: answer(99), exact: true });
});

test('a step asks for its epoch, then for the epochs on each side, one read-ahead at a time', () => {
  const { asked, images, out, replyOldest } = harness(100);
  const before = asked.length;
  assert.equal(images.want(50)?.exact, false, 'not kept: the nearest kept epoch stands in');
  assert.deepEqual(out(), [50]);
  assert.deepEqual(replyOldest(), { epoch: 50, byRun: answer(50), exact: true });
  // Read ahead: 49, 51, 48, 52, each asked when the one before is answered, none shown.
  for (const next of [49, 51, 48, 52]) {
    assert.deepEqual(out(), [next]);
    assert.equal(replyOldest(), undefined);
  }
  assert.equal(asked.length, before + 5, 'nothing more to ask once the neighbours are kept');
  // The step to 49 is drawn from memory, with no request, and asks for 47 ahead.
  assert.deepEqual(images.want(49), { epoch: 49, byRun: answer(49), exact: true });
  assert.deepEqual(asked.slice(before + 5), [47]);
});

test('a jump asks for its epoch at once, beside a read-ahead still out, and shows the nearest kept one meanwhile', () => {
  const { images, out, reply, replyOldest } = harness(100);
  images.want(10);
  replyOldest(); // 10 shown; 9 is now read ahead
  assert.deepEqual(out(), [9]);
  const standIn = images.want(30);
  assert.equal(standIn?.exact, false);
  assert.equal(standIn?.epoch, 10, 'the nearest kept epoch');
  assert.deepEqual(out(), [9, 30], 'the jump does not wait for the read-ahead');
  // 30 answered before 9: shown at once; 9's late answer is kept, not shown, and the read-ahead moves to 30.
  assert.deepEqual(reply(30), { epoch: 30, byRun: answer(30), exact: true });
  assert.deepEqual(out(), [9]);
  assert.equal(reply(9), undefined);
  assert.deepEqual(out(), [29]);
  // Two jumps in a row: only the last one's epoch is shown when its answer comes.
  images.want(60);
  images.want(70);
  assert.deepEqual(out(), [29, 60, 70]);
  assert.equal(reply(60), undefined, 'the slider has moved on to 70');
  assert.deepEqual(reply(70), { epoch: 70, byRun: answer(70), exact: true });
});

test('epochs outside 1..last are never asked for, and answers from before a new comparison are dropped', () => {
  const { asked, images } = harness(2);
  assert.deepEqual(asked, [2, 1]);
  images.want(2);
  images.want(1);
  assert.deepEqual(asked, [2, 1], 'both epochs kept: nothing asked');
  images.reset(5);
  assert.equal(images.receive(2, answer(2)), undefined);
  assert.equal(images.bytes, 0, 'a new comparison starts with nothing kept');
});

test('the kept images stay within the budget, the oldest epochs going first, shared inputs counted once', () => {
  // Two runs: one noisy column (shared, the same string) and two denoised ones, 100 characters each.
  const perEpoch = 3 * 100 + 64 + 2 * 64;
  const { images, out, replyOldest } = harness(100, perEpoch * 3);
  for (const e of [10, 20, 30, 40]) {
    images.want(e);
    while (out().length) replyOldest();
  }
  assert.ok(images.bytes <= perEpoch * 3, `${images.bytes} bytes kept`);
  assert.ok(images.bytes >= perEpoch * 2, `${images.bytes} bytes kept: the shared column was counted more than once`);
  // 40 and what was read around it are kept; 10 is long gone, so it comes back only as a stand-in.
  assert.equal(images.want(10)?.exact, false);
});
