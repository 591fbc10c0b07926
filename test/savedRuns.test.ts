/**
 * The saved runs the Runs view, the dashboard's run list and the run pickers show (listSavedRuns over the
 * workspace's runs folders): every run of every folder once, newest first, as listRuns describes each; and a
 * listing taken again after the files changed on disk shows the change (the readers keep parsed files while
 * they are unchanged, issue 24's 1,000-run folder).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { listSavedRuns } from '../src/app/runs/savedRuns';
import { writeJsonAtomic } from '../src/core/files/atomicWrite';
import { listRuns, type RunListing } from '../src/core/runs/listRuns';
import { writeSavedRun } from './helpers/savedRun';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'denoise-saved-runs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Two runs folders whose runs' start times interleave (the folder names do not order them across folders). */
function workspace(name: string) {
  const a = path.join(tmp, name, 'a');
  const b = path.join(tmp, name, 'b');
  const runs = {
    a9: writeSavedRun(a, '2026-12-02T09-00-00-one', { name: 'one', startedAt: '2026-12-02T09:00:00Z', psnr: 14 }),
    a11: writeSavedRun(a, '2026-12-02T11-00-00-two', { name: 'two', startedAt: '2026-12-02T11:00:00Z', psnr: 15 }),
    b10: writeSavedRun(b, '2026-12-02T10-00-00-one', { name: 'one', startedAt: '2026-12-02T10:00:00Z', psnr: 16 }),
    b12: writeSavedRun(b, '2026-12-02T12-00-00-three', { name: 'three', startedAt: '2026-12-02T12:00:00Z' }),
  };
  return { a, b, runs };
}

const psnr = (l: RunListing | undefined) => l?.summary?.metrics?.test.denoised.psnr;

test("every folder's runs once, newest first, each as listRuns describes it", () => {
  const { a, b, runs } = workspace('order');
  const saved = listSavedRuns([a, b, a]);
  assert.deepEqual(
    saved.map((l) => l.runDir),
    [runs.b12, runs.a11, runs.b10, runs.a9],
  );
  const byDir = new Map([...listRuns(a), ...listRuns(b)].map((l) => [l.runDir, l]));
  assert.equal(saved.length, byDir.size);
  for (const l of saved) assert.deepEqual(l, byDir.get(l.runDir));
});

test('a listing kept in one process equals a fresh process reading the same folders', () => {
  const { a, b } = workspace('fresh');
  listSavedRuns([a, b]);
  const again = listSavedRuns([a, b]);
  const script = `const { listSavedRuns } = require(${JSON.stringify(path.join(__dirname, '../src/app/runs/savedRuns'))});
process.stdout.write(JSON.stringify(listSavedRuns(${JSON.stringify([a, b])})));`;
  const fresh = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(JSON.stringify(again)), JSON.parse(fresh));
});

test('files changed after a listing are shown changed in the next one', () => {
  const { a, b, runs } = workspace('changes');
  const before = listSavedRuns([a, b]);
  assert.equal(psnr(before.find((l) => l.runDir === runs.a11)), 15);
  assert.equal(before.find((l) => l.runDir === runs.b10)?.problems, undefined);

  // summary.json rewritten as the trainer writes it (atomically), with a new figure.
  const summaryFile = path.join(runs.a11, 'summary.json');
  const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  summary.metrics.test.denoised.psnr = 21.5;
  writeJsonAtomic(summaryFile, summary);
  // metrics.jsonl appended to and then torn, as a kill while appending leaves it.
  fs.writeFileSync(path.join(runs.b10, 'metrics.jsonl'), '{"epoch":1}\n{"epoch":2}\n');
  listSavedRuns([a, b]);
  fs.appendFileSync(path.join(runs.b10, 'metrics.jsonl'), '{"epo');
  // config.json spoiled by hand; one run folder deleted, one added.
  fs.writeFileSync(path.join(runs.a9, 'config.json'), '{ not json');
  fs.rmSync(runs.b12, { recursive: true });
  const added = writeSavedRun(a, '2026-12-02T13-00-00-four', { name: 'four', startedAt: '2026-12-02T13:00:00Z' });

  const now = listSavedRuns([a, b]);
  assert.deepEqual(
    now.map((l) => l.runDir),
    [added, runs.a11, runs.b10, runs.a9],
  );
  assert.equal(psnr(now.find((l) => l.runDir === runs.a11)), 21.5);
  assert.deepEqual(now.find((l) => l.runDir === runs.b10)?.problems, [
    'metrics.jsonl: line 3 is cut short (the run stopped while writing it); it is left out',
  ]);
  assert.match(now.find((l) => l.runDir === runs.a9)?.problems?.join('\n') ?? '', /config\.json: not valid JSON/);
});
