/**
 * Faults around the runs folder: a full disk or failing rename while a file is written, a runs folder that
 * cannot exist, runs started in the same millisecond (a window reload while a run trains: trainerReattach.test.ts).
 */
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunWriteError, writeFileAtomic, writeJsonAtomic } from '../src/core/files/atomicWrite';
import { createRunFolder } from '../src/core/runs/runFolder';
import { InputError } from '../src/core/errors/inputError';
import { writeTinyExperiment } from './helpers/tinyExperiment';

const root = join(__dirname, '..');
const tmp = () => fs.mkdtempSync(join(tmpdir(), 'denoise-faults-'));

test('a full disk while writing leaves the old file whole, no temporary file, and an error naming the file', () => {
  const dir = tmp();
  const target = join(dir, 'summary.json');
  writeJsonAtomic(target, { status: 'running' });
  // ENOSPC after the first 10 bytes, as a full disk answers a write.
  // The fs module object itself (a namespace import is a frozen copy that cannot be patched).
  const nodeFs = require('node:fs') as typeof fs;
  const original = nodeFs.writeSync as (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
  let written = 0;
  const writeSync = mock.method(
    nodeFs,
    'writeSync',
    (fd: number, buffer: Uint8Array, offset = 0, length = buffer.length - offset) => {
      if (written >= 10) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = Math.min(10 - written, length);
      written += n;
      return original(fd, buffer, offset, n);
    },
  );
  try {
    assert.throws(
      () => writeJsonAtomic(target, { status: 'completed', metrics: 'x'.repeat(1000) }),
      (err: unknown) =>
        err instanceof RunWriteError &&
        err.code === 'ENOSPC' &&
        err.message.startsWith(`cannot write ${target} (the disk is full): ENOSPC`) &&
        /nothing was left half-written/.test(err.message),
    );
    assert.throws(() => writeFileAtomic(join(dir, 'new.png'), new Uint8Array(100)), RunWriteError);
  } finally {
    writeSync.mock.restore();
  }
  assert.deepEqual(
    JSON.parse(fs.readFileSync(target, 'utf8')),
    { status: 'running' },
    'readers still see the complete old file',
  );
  assert.deepEqual(fs.readdirSync(dir), ['summary.json'], 'no temporary file and no half-written new file');
});

test('a failing rename (the target is a folder) is reported and leaves no temporary file', () => {
  const dir = tmp();
  fs.mkdirSync(join(dir, 'status.json', 'inside'), { recursive: true });
  assert.throws(
    () => writeJsonAtomic(join(dir, 'status.json'), { status: 'running' }),
    (err: unknown) => err instanceof RunWriteError && err.path === join(dir, 'status.json'),
  );
  assert.deepEqual(fs.readdirSync(dir), ['status.json']);
});

test('a runs folder that cannot be created is refused naming the folder and how to choose another', () => {
  const dir = tmp();
  const file = join(dir, 'not-a-folder');
  fs.writeFileSync(file, 'a file where the runs folder should be');
  for (const runsDir of [file, join(file, 'runs')]) {
    assert.throws(
      () => createRunFolder(runsDir, 'x'),
      (err: unknown) =>
        err instanceof InputError &&
        err.message.startsWith(`cannot create the runs folder ${runsDir}:`) &&
        /output\.runsDir/.test(err.message),
    );
  }
  // The same through the command line: bad input (exit 2), the folder named, no training output.
  const config = writeTinyExperiment(
    { dataset: { trainSize: 100, valSize: 20, testSize: 20 }, training: { epochs: 1 } },
    'nowhere',
  );
  const cli = spawnSync(
    process.execPath,
    [join(root, 'bin', 'denoise'), 'run', config, '--runs-dir', join(file, 'runs')],
    { encoding: 'utf8' },
  );
  assert.equal(cli.status, 2, cli.stderr);
  assert.match(
    cli.stderr,
    new RegExp(`cannot create the runs folder ${join(file, 'runs').replace(/[/\\.]/g, '\\$&')}: ENOTDIR`),
  );
});

test('runs started in the same millisecond, in one process or several at once, each get their own folder', async () => {
  const runsDir = tmp();
  const now = new Date(2026, 10, 25, 10, 4, 59, 123);
  const inProcess = Array.from({ length: 20 }, () => createRunFolder(runsDir, 'same'));
  assert.equal(new Set(inProcess).size, 20);
  // Four processes racing for the same names with the same clock reading.
  const script = `
    const { createRunFolder } = require(${JSON.stringify(join(root, 'src/core/runs/runFolder.ts'))});
    const dirs = [];
    for (let i = 0; i < 10; i++) dirs.push(createRunFolder(${JSON.stringify(runsDir)}, 'race', new Date(${now.getTime()})));
    process.stdout.write(JSON.stringify(dirs));`;
  const outputs = await Promise.all(
    Array.from(
      { length: 4 },
      () =>
        new Promise<string[]>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let out = '';
          child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
          child.on('exit', (code) =>
            code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`exit ${code}`)),
          );
        }),
    ),
  );
  const all = outputs.flat();
  assert.equal(all.length, 40);
  assert.equal(new Set(all).size, 40, 'no two runs share a folder');
  assert.ok(all.every((d) => d.startsWith(join(runsDir, '2026-11-25T10-04-59-race'))));
});
