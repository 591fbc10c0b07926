/** Deleting a run (after the user confirmed): only a run folder, never one still training. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteRunFolder } from '../src/extension/host/runFolderDelete';

const folder = (files: Record<string, unknown>) => {
  const dir = mkdtempSync(join(tmpdir(), 'delete-run-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(content));
  return dir;
};

test('a finished run folder is deleted; a folder that is not a run, or a run still training, is kept with the reason', () => {
  const done = folder({
    'config.json': { name: 'a' },
    'status.json': { status: 'completed', pid: 1, epoch: 1, epochs: 1 },
  });
  assert.equal(deleteRunFolder(done), undefined);
  assert.equal(existsSync(done), false);
  const other = folder({ 'notes.txt': 'x' });
  assert.match(deleteRunFolder(other) ?? '', /is not a Denoise Lab run folder/);
  assert.ok(existsSync(other));
  const live = folder({
    'config.json': { name: 'b' },
    'status.json': { status: 'running', pid: process.pid, epoch: 1, epochs: 9 },
  });
  assert.match(deleteRunFolder(live) ?? '', /still training; stop the run first/);
  assert.ok(existsSync(live));
});
