/**
 * The cache behind the Runs view's and the dashboard's repeated listings: a run file is read again exactly when
 * it changed on disk (appended, rewritten atomically, edited in place, removed), and not read while unchanged.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { FileVersionCache } from '../src/core/runs/fileVersionCache';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'denoise-file-cache-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A cache whose computation reads the file and counts how often it did. */
function counting(limit = 10) {
  const cache = new FileVersionCache<string>(limit);
  let reads = 0;
  const read = (file: string) =>
    cache.get(file, () => {
      reads++;
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : 'missing';
    });
  return { read, reads: () => reads };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

test('an unchanged file is read once, however often it is asked for', () => {
  const file = path.join(tmp, 'unchanged.json');
  fs.writeFileSync(file, '{"a":1}');
  const c = counting();
  for (let i = 0; i < 5; i++) assert.equal(c.read(file), '{"a":1}');
  assert.equal(c.reads(), 1);
});

test('an appended file (a live run adding an epoch line) is read again', () => {
  const file = path.join(tmp, 'metrics.jsonl');
  fs.writeFileSync(file, '{"epoch":1}\n');
  const c = counting();
  c.read(file);
  fs.appendFileSync(file, '{"epoch":2}\n');
  assert.equal(c.read(file), '{"epoch":1}\n{"epoch":2}\n');
  assert.equal(c.reads(), 2);
});

test('a file replaced atomically by one of the same size is read again', () => {
  const file = path.join(tmp, 'status.json');
  fs.writeFileSync(file, '{"status":"running"}');
  const c = counting();
  c.read(file);
  fs.writeFileSync(`${file}.tmp`, '{"status":"stopped"}');
  fs.renameSync(`${file}.tmp`, file);
  assert.equal(c.read(file), '{"status":"stopped"}');
  assert.equal(c.reads(), 2);
});

test('a file edited in place to the same size later on is read again', async () => {
  const file = path.join(tmp, 'summary.json');
  fs.writeFileSync(file, '{"psnr":14.1}');
  const c = counting();
  c.read(file);
  // A hand edit comes well after the listing; the wait outlasts the kernel's coarse file clock (a few ms).
  await sleep(50);
  fs.writeFileSync(file, '{"psnr":19.9}');
  assert.equal(c.read(file), '{"psnr":19.9}');
  assert.equal(c.reads(), 2);
});

test('a removed file is answered as missing, and read again once it is back', () => {
  const file = path.join(tmp, 'notes.json');
  fs.writeFileSync(file, '{"title":"x"}');
  const c = counting();
  c.read(file);
  fs.rmSync(file);
  assert.equal(c.read(file), 'missing');
  fs.writeFileSync(file, '{"title":"y"}');
  assert.equal(c.read(file), '{"title":"y"}');
});

test('past its limit the cache forgets the file used longest ago', () => {
  const files = ['a', 'b', 'c'].map((name) => path.join(tmp, `limit-${name}.json`));
  for (const f of files) fs.writeFileSync(f, f);
  const c = counting(2);
  c.read(files[0]);
  c.read(files[1]);
  c.read(files[0]); // a is now the newer of the two
  c.read(files[2]); // over the limit: b goes
  assert.equal(c.reads(), 3);
  c.read(files[0]);
  assert.equal(c.reads(), 3, 'a was kept');
  c.read(files[1]);
  assert.equal(c.reads(), 4, 'b was read again');
});
