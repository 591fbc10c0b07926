/**
 * Denoise Image…'s work in the trainer process (dist/trainer.js, forked as the extension forks it): Cancel kills
 * it mid-way and leaves only complete files (the inputs untouched), and a window reload during an apply is
 * survived: the next window follows the live apply, or says how it really ended (finished, killed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ApplyService, type ApplyState } from '../src/extension/host/applyService';
import { readApplyProgress } from '../src/app/apply/applyProgress';
import { removeApplyLeftovers } from '../src/extension/host/applyLeftovers';
import { grayPng } from './helpers/imageFiles';
import { writeModelRun } from './helpers/applyRunFolder';
import { trainerPath, until } from './helpers/builtTrainer';

const SIDE = 480;
/**
 * Tiles of 8 px: thousands of network passes per image, so an apply lasts long enough to interrupt (with a
 * few hundred, the oneDNN inference plan finished the second file before Cancel reached it).
 */
const TILE = 8;

/** A workspace with a model run and a folder of noisy gray PNGs; returns the paths and the inputs' hashes. */
async function workspace(files: number) {
  const root = mkdtempSync(join(tmpdir(), 'denoise-apply-ui-'));
  const runDir = await writeModelRun(join(root, 'denoise-runs', 'run'));
  const photos = join(root, 'photos');
  mkdirSync(photos);
  for (let i = 0; i < files; i++)
    writeFileSync(
      join(photos, `p${i}.png`),
      grayPng(SIDE, SIDE, (x, y) => (x * 7 + y * 13 + i * 31) % 256),
    );
  const hashes = () =>
    readdirSync(photos).map((f) =>
      createHash('sha256')
        .update(readFileSync(join(photos, f)))
        .digest('hex'),
    );
  return { root, runDir, photos, out: join(root, 'denoised'), records: join(root, 'storage', 'applies'), hashes };
}

const allFiles = (dir: string) =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()) : [];

test('Cancel mid-way kills the apply: files already written are complete, no other file appears, inputs untouched', async () => {
  const ws = await workspace(3);
  const before = ws.hashes();
  const service = new ApplyService({ trainerPath, recordsDir: ws.records });
  const job = service.start({ runDir: ws.runDir, inputs: [ws.photos], out: ws.out, tile: TILE });
  const states: ApplyState[] = [];
  job.onState((s) => states.push(s));
  await until(() => job.state.outputs.length === 1 && (job.state.file ?? 0) >= 1, 'the second file being denoised');
  assert.ok(
    states.some((s) => s.tile && s.tile.total > 100 && s.tile.done < s.tile.total),
    'progress came tile by tile',
  );
  const pid = job.pid!;
  job.cancel();
  const ending = await job.ended;
  assert.equal(ending.kind, 'cancelled');
  assert.match(ending.message, /^Cancelled: 1 of 3 files written, each complete; no partial output was left\.$/);
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the trainer is gone');
  assert.deepEqual(
    allFiles(ws.out).map((e) => e.name),
    ['p0.png'],
    'only the finished file, no temporary file',
  );
  const written = await sharp(join(ws.out, 'p0.png')).metadata();
  assert.deepEqual([written.format, written.width, written.height], ['png', SIDE, SIDE], 'a complete image');
  assert.deepEqual(ws.hashes(), before, 'the inputs are untouched');
  assert.deepEqual(readdirSync(ws.records), [], 'the record is gone once the user was told');
});

test('a process killed between writing and renaming leaves a temporary file, removed once it has ended', () => {
  const out = mkdtempSync(join(tmpdir(), 'denoise-leftover-'));
  mkdirSync(join(out, 'deep'));
  // writeFileAtomic's temporary names (src/core/files/atomicWrite.ts), of a dead process 99999 and of this one.
  writeFileSync(join(out, 'deep', '.scan.tif.99999.1767225600000.tmp'), 'half');
  writeFileSync(join(out, `.photo.png.${process.pid}.1767225600000.tmp`), 'another process is writing this');
  writeFileSync(join(out, 'photo.png'), 'complete');
  assert.equal(removeApplyLeftovers(out, 99999), 1);
  assert.deepEqual(
    allFiles(out)
      .map((e) => e.name)
      .sort(),
    [`.photo.png.${process.pid}.1767225600000.tmp`, 'photo.png'],
  );
  assert.equal(removeApplyLeftovers(join(out, 'missing'), 99999), 0);
});

test('a window reload during an apply: the next window follows it to its end; a killed one is reported as killed', async () => {
  const ws = await workspace(3);
  const first = new ApplyService({ trainerPath, recordsDir: ws.records });
  const job = first.start({ runDir: ws.runDir, inputs: [ws.photos], out: ws.out, tile: TILE });
  await until(() => (job.state.tile?.done ?? 0) > 0, 'the first tiles');
  const pid = job.pid!;
  first.releaseAll(); // the window goes away (deactivate)

  const second = new ApplyService({ trainerPath, recordsDir: ws.records, pollMs: 50 });
  const [followed] = second.reattach();
  assert.ok(followed && !followed.isDone, 'the live apply is found');
  assert.equal(followed.pid, pid);
  assert.deepEqual(second.reattach(), [], 'an apply is followed once');
  const seen: ApplyState[] = [];
  followed.onState((s) => seen.push(s));
  const ending = await followed.ended;
  assert.deepEqual(ending, { kind: 'done', outputs: ['p0.png', 'p1.png', 'p2.png'].map((f) => join(ws.out, f)) });
  assert.ok(
    seen.some((s) => s.files === 3 && s.tile !== undefined),
    'progress read from the record',
  );
  assert.deepEqual(
    allFiles(ws.out)
      .map((e) => e.name)
      .sort(),
    ['p0.png', 'p1.png', 'p2.png'],
  );

  // Killed while no window watched: the next window says so, with what was left.
  const killedWs = await workspace(3);
  const third = new ApplyService({ trainerPath, recordsDir: killedWs.records });
  const doomed = third.start({ runDir: killedWs.runDir, inputs: [killedWs.photos], out: killedWs.out, tile: TILE });
  await until(() => doomed.state.outputs.length === 1, 'the first file written');
  third.releaseAll();
  process.kill(doomed.pid!, 'SIGKILL');
  await until(() => {
    try {
      process.kill(doomed.pid!, 0);
      return false;
    } catch {
      return true;
    }
  }, 'the trainer gone');
  const [found] = new ApplyService({ trainerPath, recordsDir: killedWs.records }).reattach();
  const killed = await found.ended;
  assert.equal(killed.kind, 'killed');
  assert.match(
    killed.message,
    new RegExp(
      `^The denoising process \\(pid ${doomed.pid}\\) ended before finishing \\(killed or crashed\\): 1 of 3 files written, each complete`,
    ),
  );
  assert.deepEqual(
    allFiles(killedWs.out).map((e) => e.name),
    ['p0.png'],
  );
});

test('an apply that finished while no window was open is reported as finished by the next one', async () => {
  const ws = await workspace(1);
  const first = new ApplyService({ trainerPath, recordsDir: ws.records });
  const job = first.start({ runDir: ws.runDir, inputs: [join(ws.photos, 'p0.png')], out: ws.out });
  await until(() => job.pid !== undefined, 'the trainer');
  first.releaseAll();
  const record = () => {
    const [name] = existsSync(ws.records) ? readdirSync(ws.records) : [];
    return name ? readApplyProgress(join(ws.records, name)) : undefined;
  };
  await until(() => record()?.state === 'done', 'the apply to finish alone');
  const [found] = new ApplyService({ trainerPath, recordsDir: ws.records }).reattach();
  assert.ok(found.isDone, 'ended at once: nothing to follow');
  assert.deepEqual(await found.ended, { kind: 'done', outputs: [join(ws.out, 'p0.png')] });
});
