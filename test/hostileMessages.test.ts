/**
 * Messages from a page or a trainer that is broken or hostile: thousands of seeded random and damaged
 * messages are each rejected or accepted without an exception, rejections are logged, and nothing
 * malformed reaches the code that acts on messages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '../src/core/random/seededRandom';
import { RunService } from '../src/extension/host/runService';
import { validateHostToTrainer, validateTrainerToHost } from '../src/protocol/validateTrainerMessages';
import { validateWebviewToHost } from '../src/protocol/validateWebviewMessages';
import { recordingSession } from './helpers/recordingSession';
import { writeTinyExperiment } from './helpers/tinyExperiment';

const CASES = 3000;
const rng = new SeededRandom(8);
const pick = <T>(items: readonly T[]): T => items[rng.nextInt(items.length)];

const TYPES = [
  'ready',
  'stopRun',
  'requestNoisePreview',
  'requestRuns',
  'compareRuns',
  'openRunFolder',
  'exportResults',
  'reportError',
  'event',
  'stopping',
  'summary',
  'preview',
  'error',
  'start',
  'stop',
  'openTerminal',
  '__proto__',
  'constructor',
  '',
];
const ODD: readonly unknown[] = [
  undefined,
  null,
  true,
  0,
  -1,
  NaN,
  Infinity,
  1e308,
  '',
  'x'.repeat(200_000),
  '../../etc/passwd',
  [],
  {},
  [[[]]],
  { __proto__: { polluted: true } },
  new Uint8Array(3),
  new Date(0),
  new Map(),
  'javascript:alert(1)',
  '<img src=x onerror=alert(1)>',
];

/** A random message: a known type with fields of random value, sometimes deeply nested or with extra fields. */
function randomMessage(): unknown {
  if (rng.next() < 0.1) return pick(ODD);
  const message: Record<string, unknown> = { type: pick(TYPES) };
  for (let n = rng.nextInt(5); n > 0; n--) {
    message[
      pick([
        'runId',
        'runDir',
        'runDirs',
        'format',
        'message',
        'protocolVersion',
        'event',
        'summary',
        'configFile',
        'overrides',
        'count',
        'problems',
        'extra',
      ])
    ] = pick(ODD);
  }
  if (rng.next() < 0.05) {
    let deep: unknown = message;
    // 1,000 levels: deeper cannot be sent at all (structured cloning, as IPC and postMessage do, overflows first).
    for (let i = 0; i < 1_000; i++) deep = { type: 'event', event: deep };
    return deep;
  }
  return message;
}

test(`${CASES} random messages per direction: validators never throw, and the page session logs each one it rejects`, (t) => {
  const { session, handled, log } = recordingSession();
  let rejectedFromPage = 0;
  let rejectedFromTrainer = 0;
  for (let i = 0; i < CASES; i++) {
    const message = structuredClone(randomMessage());
    for (const validate of [validateWebviewToHost, validateTrainerToHost, validateHostToTrainer]) {
      let checked: ReturnType<typeof validate>;
      try {
        checked = validate(message);
      } catch (err) {
        assert.fail(`${validate.name} threw on case ${i}: ${(err as Error).message}`);
      }
      if (!checked.ok)
        assert.ok(
          checked.reason.length > 0 && checked.reason.length < 500,
          `${validate.name}: a short reason, got ${checked.reason.slice(0, 100)}`,
        );
      if (validate === validateTrainerToHost && !checked.ok) rejectedFromTrainer++;
    }
    const before = handled.length + log.length;
    session.receive(message);
    if (!validateWebviewToHost(message).ok) {
      rejectedFromPage++;
      assert.equal(handled.length + log.length, before + 1);
      assert.match(log.at(-1)!, /^Ignored a malformed message from the dashboard page: /);
    }
  }
  // Whatever reached the handler is well formed.
  for (const m of handled) assert.ok(validateWebviewToHost(m).ok);
  t.diagnostic(
    `messages: ${CASES} per direction; rejected from the page ${rejectedFromPage}, from a trainer ${rejectedFromTrainer}`,
  );
  assert.ok(
    rejectedFromPage > CASES * 0.8 && rejectedFromTrainer > CASES * 0.8,
    'the generator mostly makes bad messages',
  );
});

test('a hostile trainer process: its malformed messages are logged and ignored, and its run ends as crashed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'denoise-hostile-'));
  const fakeTrainer = join(dir, 'trainer.js');
  writeFileSync(
    fakeTrainer,
    `process.on('message', async () => {
      const send = (m) => new Promise((r) => process.send(m, r));
      await send({ type: 'event', event: { type: 'started', runDir: { toString: 1 } } });
      await send({ type: 'summary', summary: { status: 'completed', runDir: '/etc' } });
      await send({ type: 'error', failure: 'rm -rf', message: 'x', problems: [] });
      await send('not even an object');
      process.exit(0);
    });`,
  );
  const log: string[] = [];
  const runs = new RunService({
    trainerPath: fakeTrainer,
    maxParallel: 1,
    isTrusted: () => true,
    log: (l) => log.push(l),
  });
  const config = writeTinyExperiment({ dataset: { trainSize: 100, valSize: 20, testSize: 20 } }, 'hostile');
  const submitted = runs.submit({ configFile: config, overrides: [] });
  assert.ok(submitted.ok);
  const run = await runs.whenEnded(submitted.run.id);
  assert.equal(run.ending, 'crashed', 'nothing it sent counted as a result');
  assert.equal(run.runDir, undefined, 'no folder taken from a malformed message');
  assert.equal(log.filter((l) => /ignored a malformed message from the trainer: /.test(l)).length, 4, log.join('\n'));
});
