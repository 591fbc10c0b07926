import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebviewSession, type WebviewActions } from '../src/extension/host/webviewSession';
import type { HostToWebview, WebviewToHost } from '../src/protocol/webviewMessages';

function session(initial: HostToWebview[] = []) {
  const posted: HostToWebview[] = [];
  const handled: WebviewToHost[] = [];
  const log: string[] = [];
  const actions: WebviewActions = {
    initialMessages: () => initial,
    handle: (r) => handled.push(r),
    log: (l) => log.push(l),
  };
  const s = new WebviewSession({ postMessage: async (m) => (posted.push(m), true) }, 'dashboard', actions);
  return { s, posted, handled, log };
}

const batch = (b: number): HostToWebview => ({
  type: 'batch',
  runId: 'run-1',
  epoch: 1,
  batch: b,
  batchesPerEpoch: 500,
  loss: 0.1,
  samplesPerSecond: 1,
  etaSeconds: 1,
});

test('nothing reaches the page before it says ready; then init, the current state and what was held, in order', () => {
  const runs: HostToWebview = { type: 'runs', runs: [] };
  const { s, posted } = session([runs]);
  s.post(batch(1));
  assert.equal(posted.length, 0, 'held until ready');
  s.receive({ type: 'ready', protocolVersion: 1 });
  assert.deepEqual(
    posted.map((m) => m.type),
    ['init', 'runs', 'batch'],
  );
  assert.deepEqual(posted[0], { type: 'init', protocolVersion: 1, view: 'dashboard' });
  s.post(batch(2));
  assert.equal(posted.length, 4, 'after ready, messages go straight through');
});

test('a page that is slow to load does not make the host hoard batch updates', () => {
  const { s, posted } = session();
  s.post({
    type: 'runStarted',
    runId: 'run-1',
    runName: 'a',
    runDir: '/r',
    engine: 'wasm',
    model: 'm',
    dataset: 'd',
    epochs: 1,
    batchesPerEpoch: 500,
  });
  for (let b = 1; b <= 500; b++) s.post(batch(b));
  s.receive({ type: 'ready', protocolVersion: 1 });
  assert.ok(posted.length <= 102, `${posted.length} messages held`);
  assert.equal(posted[1].type, 'runStarted', 'the run start is kept; old batch updates were dropped first');
  assert.equal((posted.at(-1) as { batch: number }).batch, 500);
});

test('requests from the page are validated before the host acts; bad ones are logged, not acted on', () => {
  const { s, handled, log } = session();
  s.receive({ type: 'stopRun', runId: 'run-3' });
  s.receive({ type: 'stopRun', runId: { $ne: null } });
  s.receive({ type: 'openTerminal' });
  s.receive({ type: 'reportError', message: 'TypeError: x is undefined' });
  assert.deepEqual(handled, [{ type: 'stopRun', runId: 'run-3' }]);
  assert.match(
    log[0],
    /Ignored a malformed message from the dashboard page: stopRun\.runId: expected a string, got an object/,
  );
  assert.match(log[1], /unknown message type "openTerminal"/);
  assert.equal(log[2], 'The dashboard page reported: TypeError: x is undefined');
});

test('a page from another version of the protocol is noted in the log', () => {
  const { s, log } = session();
  s.receive({ type: 'ready', protocolVersion: 2 });
  assert.match(log[0], /speaks protocol 2, the extension 1/);
});
