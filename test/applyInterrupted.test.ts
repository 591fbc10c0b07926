/**
 * `denoise apply` stopped part-way: SIGKILL at seeded random moments, SIGTERM (a parent's Cancel, as the
 * extension stops a child), and a disk that fills up (ENOSPC injected into fs.writeSync by a preload, since no
 * small filesystem can be mounted here). Whatever happens, every output file present is a complete image,
 * nothing half-written carries an output's name, and the inputs are byte for byte what they were.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { SeededRandom } from '../src/core/random/seededRandom';
import { grayPng } from './helpers/imageFiles';
import { untrainedImageRun } from './helpers/imageRunFolder';

const bin = path.join(__dirname, '..', 'bin', 'denoise');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'denoise-apply-interrupted-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const FILES = 8;
const SIDE = 160;
const KILLS = 8;
let runDir: string;
const inputs = path.join(tmp, 'inputs');
let inputHashes: Map<string, string>;

const hashes = (dir: string) =>
  new Map(
    fs.readdirSync(dir).map((f) => [
      f,
      createHash('sha256')
        .update(fs.readFileSync(path.join(dir, f)))
        .digest('hex'),
    ]),
  );

before(async () => {
  runDir = await untrainedImageRun(1, tmp);
  fs.mkdirSync(inputs);
  for (let i = 0; i < FILES; i++)
    fs.writeFileSync(
      path.join(inputs, `in-${i}.png`),
      grayPng(SIDE, SIDE - 10, (x, y) => (x * 7 + y * 3 + i * 40) % 256),
    );
  inputHashes = hashes(inputs);
});

/** Every output present decodes whole (libvips fails on any truncation) at its input's size. */
async function assertOutputsComplete(out: string): Promise<string[]> {
  if (!fs.existsSync(out)) return [];
  const names = fs.readdirSync(out);
  const shown = names.filter((n) => !n.startsWith('.'));
  for (const name of shown) {
    assert.match(name, /^in-\d\.png$/, `an output named like an input: ${name}`);
    const { info } = await sharp(path.join(out, name), { failOn: 'truncated' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [SIDE, SIDE - 10], name);
  }
  for (const hidden of names.filter((n) => n.startsWith('.')))
    assert.match(
      hidden,
      /^\.in-\d\.png\.\d+\.\d+\.tmp$/,
      `only the temporary files of atomic writes are hidden: ${hidden}`,
    );
  return shown;
}

function apply(out: string, extra: { preload?: string } = {}) {
  const args = [...(extra.preload ? ['--require', extra.preload] : []), bin, 'apply', runDir, inputs, '--out', out];
  return spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OUT_DIR: out } });
}

function finished(
  child: ReturnType<typeof spawn>,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/** Resolves when the child has written its first output, or has printed its first file line. */
function firstOutput(child: ReturnType<typeof spawn>): Promise<void> {
  return new Promise((resolve) => {
    child.stderr!.on('data', (c: Buffer) => String(c).includes('1/8') && resolve());
    child.on('exit', () => resolve());
  });
}

test(`SIGKILL at ${KILLS} seeded random moments: outputs complete or absent, inputs unchanged, a rerun finishes and tidies`, async (t) => {
  const timing = performance.now();
  const fullChild = apply(path.join(tmp, 'full'));
  const fullEnded = finished(fullChild);
  await firstOutput(fullChild);
  const firstMs = performance.now() - timing;
  const full = await fullEnded;
  const fullMs = performance.now() - timing;
  assert.equal(full.code, 0, full.stderr);
  assert.equal((await assertOutputsComplete(path.join(tmp, 'full'))).length, FILES);
  const rng = new SeededRandom(24);
  const seen: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    const out = path.join(tmp, `killed-${k}`);
    // Half the kills anywhere (start-up included), half while files are being written.
    const writing = k % 2 === 1;
    const delay = Math.round(rng.next() * (writing ? fullMs - firstMs : fullMs));
    const child = apply(out);
    const ended = finished(child);
    if (writing) await firstOutput(child);
    await new Promise((r) => setTimeout(r, delay));
    child.kill('SIGKILL');
    await ended;
    const written = await assertOutputsComplete(out);
    seen.push(written.length);
    assert.deepEqual(hashes(inputs), inputHashes, 'inputs unchanged');
    // Running again over the same folder finishes the set and removes what the killed writer left.
    const again = await finished(apply(out));
    assert.equal(again.code, 0, again.stderr);
    assert.equal((await assertOutputsComplete(out)).length, FILES);
    assert.deepEqual(
      fs.readdirSync(out).filter((n) => n.startsWith('.')),
      [],
      'no temporary file left',
    );
  }
  t.diagnostic(
    `a whole apply of ${FILES} files took ${(fullMs / 1000).toFixed(1)} s; complete outputs found after each kill: ${seen.join(', ')}`,
  );
});

test('SIGTERM (Cancel) stops at the next file: exit 1, "Cancelled", written files complete, no temporary file', async () => {
  const out = path.join(tmp, 'cancelled');
  const child = apply(out);
  const ended = finished(child);
  await firstOutput(child);
  child.kill('SIGTERM');
  const result = await ended;
  assert.equal(result.signal, null, 'the process ended by itself, not by the signal');
  assert.equal(result.code, 1, result.stderr);
  const written = await assertOutputsComplete(out);
  assert.match(
    result.stderr,
    new RegExp(`Cancelled: ${written.length} of ${FILES} file\\(s\\) written, each complete`),
  );
  assert.ok(written.length >= 1 && written.length < FILES, `${written.length} written`);
  assert.deepEqual(
    fs.readdirSync(out).filter((n) => n.startsWith('.')),
    [],
  );
  assert.deepEqual(hashes(inputs), inputHashes);
});

test('a disk that fills up during the third file: exit 1 naming the file, two complete outputs, nothing else', async () => {
  const out = path.join(tmp, 'full-disk');
  const preload = path.join(tmp, 'enospc.cjs');
  // Writes into the output folder succeed until two whole files and 100 bytes more have gone out.
  const limit = 2 * fs.statSync(path.join(tmp, 'full', 'in-0.png')).size + 100;
  fs.writeFileSync(
    preload,
    `const fs = require('node:fs');
     const outDir = process.env.OUT_DIR;
     const fds = new Set();
     let written = 0;
     const open = fs.openSync;
     fs.openSync = (p, ...rest) => { const fd = open(p, ...rest); if (String(p).startsWith(outDir)) fds.add(fd); return fd; };
     const write = fs.writeSync;
     fs.writeSync = (fd, buf, off = 0, len = buf.length - off, ...rest) => {
       if (!fds.has(fd)) return write(fd, buf, off, len, ...rest);
       if (written + len > ${limit}) {
         const room = Math.max(0, ${limit} - written);
         if (room > 0) { written += room; return write(fd, buf, off, room); }
         throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
       }
       written += len;
       return write(fd, buf, off, len, ...rest);
     };`,
  );
  const result = await finished(apply(out, { preload }));
  assert.equal(result.code, 1, result.stderr);
  assert.match(
    result.stderr,
    new RegExp(`cannot write ${path.join(out, 'in-2.png').replace(/[/.]/g, '\\$&')} \\(the disk is full\\): ENOSPC`),
  );
  assert.deepEqual(await assertOutputsComplete(out), ['in-0.png', 'in-1.png']);
  assert.deepEqual(
    fs.readdirSync(out).filter((n) => n.startsWith('.')),
    [],
    'the temporary file was removed',
  );
  assert.deepEqual(hashes(inputs), inputHashes);
});
