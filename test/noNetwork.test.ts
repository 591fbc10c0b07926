/**
 * Nothing fetches at run time: a training run (CLI) and a trainer process complete with every network
 * entry point of Node made to throw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTinyExperiment } from './helpers/tinyExperiment';

const root = join(__dirname, '..');
const preload = join(__dirname, 'helpers', 'blockNetwork.cjs');

test('the blocker works: a process that tries to fetch is stopped and says so', () => {
  const probe = spawnSync(
    process.execPath,
    ['--require', preload, '-e', 'fetch("https://example.com").catch(() => {})'],
    { encoding: 'utf8' },
  );
  assert.notEqual(probe.status, 0);
  assert.match(probe.stderr, /NETWORK BLOCKED: fetch/);
});

test('a training run completes with the network blocked', () => {
  const file = writeTinyExperiment(
    { dataset: { trainSize: 500, valSize: 100, testSize: 100 }, training: { epochs: 1 } },
    'offline',
  );
  const run = spawnSync(process.execPath, ['--require', preload, join(root, 'bin', 'denoise'), 'run', file, '--json'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /NETWORK BLOCKED/);
  const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { type: string; status: string; runDir: string };
  assert.deepEqual([summary.type, summary.status], ['summary', 'completed']);
  assert.ok(readFileSync(join(summary.runDir, 'metrics.jsonl'), 'utf8').includes('"epoch":1'));
});

test("the extension's trainer process completes a run with the network blocked", async () => {
  const file = writeTinyExperiment(
    { dataset: { trainSize: 300, valSize: 100, testSize: 100 }, training: { epochs: 1 } },
    'offline-trainer',
  );
  const trainer = fork(join(root, 'dist', 'trainer.js'), [], {
    execArgv: ['--require', preload],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  trainer.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const messages: { type: string; summary?: { status: string } }[] = [];
  trainer.on('message', (m: { type: string }) => messages.push(m));
  trainer.send({ type: 'start', configFile: file, overrides: [] });
  const code = await new Promise<number | null>((resolve) => trainer.on('exit', resolve));
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /NETWORK BLOCKED/);
  assert.equal(messages.at(-1)?.summary?.status, 'completed');
});
