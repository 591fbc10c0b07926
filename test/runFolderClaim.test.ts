/**
 * Two VS Code windows and a command line resuming one interrupted run: one writer claims the folder, the
 * others are refused with a message saying why; a claim left by a killed process is taken over at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimRunFolder, refuseIfClaimed } from '../src/core/runs/runFolderClaim';

const bin = join(__dirname, '..', 'bin', 'denoise');

/** A folder whose claim a live process (another window's trainer, say) holds; ended by the returned stop. */
function claimedByAnother(): { runDir: string; pid: number; stop: () => void } {
  const runDir = mkdtempSync(join(tmpdir(), 'denoise-claim-'));
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  writeFileSync(join(runDir, 'writer.lock'), `${other.pid}\n`);
  return { runDir, pid: other.pid!, stop: () => other.kill('SIGKILL') };
}

test('a folder another live process has claimed refuses the claim and the early check, naming the process', (t) => {
  const { runDir, pid, stop } = claimedByAnother();
  t.after(stop);
  const said = new RegExp(`is being resumed by another window or command line \\(pid ${pid}\\)`);
  assert.throws(() => claimRunFolder(runDir), said);
  assert.throws(() => refuseIfClaimed(runDir), said);
  assert.equal(readFileSync(join(runDir, 'writer.lock'), 'utf8').trim(), String(pid), 'the claim is untouched');
});

test('`denoise resume` on a folder another process is resuming exits 2 and says so', (t) => {
  const { runDir, stop } = claimedByAnother();
  t.after(stop);
  const cli = spawnSync(process.execPath, [bin, 'resume', runDir], { encoding: 'utf8' });
  assert.equal(cli.status, 2, cli.stderr);
  assert.match(cli.stderr, /is being resumed by another window or command line \(pid \d+\); wait for that run/);
});

test("a killed writer's claim is taken over at once, and released when this one's run ends", () => {
  const runDir = mkdtempSync(join(tmpdir(), 'denoise-claim-dead-'));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(join(runDir, 'writer.lock'), `${dead.stdout}\n`);
  assert.doesNotThrow(() => refuseIfClaimed(runDir));
  const release = claimRunFolder(runDir);
  assert.equal(readFileSync(join(runDir, 'writer.lock'), 'utf8').trim(), String(process.pid));
  release();
  assert.equal(existsSync(join(runDir, 'writer.lock')), false, 'the claim is gone after its run');
});
