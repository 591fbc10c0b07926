/**
 * Over a thousand damaged and hostile image files (PNG, JPEG, TIFF, WebP) fed to the imageFolder dataset loader
 * and to `denoise apply` (applyRun, the command's whole path but the printing): each is read correctly or
 * refused with a DatasetError or InputError naming the file (or, for a folder with no image, the folder) and a
 * reason; nothing else escapes, a refused file leaves no output, and the process's peak memory stays under
 * apply's stated memory (DEFAULT_MEMORY_MB) although the set holds decompression bombs declaring up to
 * 50,000x50,000 pixels.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { applyRun, DEFAULT_MEMORY_MB } from '../src/core/apply/applyRun';
import { validateConfig } from '../src/core/config/validateConfig';
import type { Dataset } from '../src/core/config/experimentConfig.generated';
import { DatasetError } from '../src/core/data/datasetError';
import { loadImageFolder } from '../src/core/data/loadImageFolder';
import { InputError } from '../src/core/errors/inputError';
import { SeededRandom } from '../src/core/random/seededRandom';
import { baseImages, damagedCopies, ENDING, H, value, W, type BaseImage, type Format } from './helpers/hostileImages';
import { untrainedImageRun } from './helpers/imageRunFolder';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'denoise-hostile-images-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Damaged copies per intact file: 22 intact files make 1,122 damaged ones. */
const COPIES = 51;
/** The test dataset's memory budget: a header declaring more is refused by the loader before decoding. */
const DATASET_BUDGET_MB = 256;

interface Case {
  readonly what: string;
  readonly format: Format | 'other';
  /** The folder given to the loader (as dataset.trainFolder) and to apply. */
  readonly dir: string;
  /** The path every refusal must name. */
  readonly named: string;
  readonly channels: 1 | 3;
  /** The intact file it was made from, when its pixels are known; undefined for damaged copies. */
  readonly intact?: BaseImage;
  /** The size a correct read gives, when it is readable at all. */
  readonly size?: { width: number; height: number };
  /** Intact but of a layout Denoise Lab does not take: the refusal it must get. */
  readonly mustRefuse?: RegExp;
}

const cases: Case[] = [];
const runs: Record<1 | 3, string> = { 1: '', 3: '' };
const datasets: Record<1 | 3, Dataset | undefined> = { 1: undefined, 3: undefined };
let outside: string;

function datasetFor(channels: 1 | 3, good: string): Dataset {
  const config = validateConfig({
    name: 'hostile',
    dataset: {
      source: 'imageFolder',
      trainFolder: 'x',
      valFolder: good,
      testFolder: good,
      channels,
      memoryBudgetMB: DATASET_BUDGET_MB,
    },
    noise: { steps: [{ type: 'gaussian255', sigma: 25 }] },
    model: { type: 'dncnn', depth: 3, filters: 4 },
    training: { patchSize: 8 },
  });
  if (!config.ok) throw new Error(JSON.stringify(config.problems));
  return config.config.dataset;
}

let counter = 0;
function caseDir(): string {
  const dir = path.join(tmp, 'cases', String(counter++));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

before(async () => {
  runs[1] = await untrainedImageRun(1, tmp);
  runs[3] = await untrainedImageRun(3, tmp);
  const bases = await baseImages();
  for (const channels of [1, 3] as const) {
    const good = path.join(tmp, `good-${channels}`);
    fs.mkdirSync(good);
    const source = bases.find((b) => b.label === (channels === 1 ? 'png-gray8' : 'png-rgb8'))!;
    fs.writeFileSync(path.join(good, 'good.png'), source.bytes);
    datasets[channels] = datasetFor(channels, good);
  }
  const rng = new SeededRandom(2424);
  for (const base of bases) {
    const channels = base.channels === 1 ? 1 : 3;
    const intactDir = caseDir();
    const intactFile = path.join(intactDir, `intact${ENDING[base.format]}`);
    fs.writeFileSync(intactFile, base.bytes);
    const size = { width: W, height: H };
    if (base.channels === 5) {
      const mustRefuse = /: 5 channel\(s\) \(srgb colour space, with alpha\); Denoise Lab reads gray or RGB images/;
      cases.push({
        what: `${base.label} intact`,
        format: base.format,
        dir: intactDir,
        named: intactFile,
        channels,
        mustRefuse,
      });
    } else {
      cases.push({
        what: `${base.label} intact`,
        format: base.format,
        dir: intactDir,
        named: intactFile,
        channels,
        intact: base,
        size,
      });
    }
    for (const damaged of damagedCopies(base, COPIES, rng)) {
      const dir = caseDir();
      const file = path.join(dir, `${base.label}${ENDING[base.format]}`);
      fs.writeFileSync(file, damaged.bytes);
      cases.push({ what: `${base.label}, ${damaged.how}`, format: base.format, dir, named: file, channels });
    }
  }
  // Files that are not images at all, or not files.
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'denoise-outside-'));
  fs.writeFileSync(path.join(outside, 'secret.png'), bases[0].bytes);
  for (const format of ['png', 'jpeg', 'tiff', 'webp'] as const) {
    const dir = caseDir();
    const empty = path.join(dir, `empty${ENDING[format]}`);
    fs.writeFileSync(empty, '');
    cases.push({ what: `zero-byte ${format}`, format, dir, named: empty, channels: 1 });
    const text = caseDir();
    fs.writeFileSync(path.join(text, `notes${ENDING[format]}`), 'these are my notes, not an image\n');
    cases.push({
      what: `text named ${format}`,
      format,
      dir: text,
      named: path.join(text, `notes${ENDING[format]}`),
      channels: 1,
    });
    const swapped = caseDir();
    const other = bases.find((b) => b.format !== format && b.channels === 1)!;
    fs.writeFileSync(path.join(swapped, `wrong-ending${ENDING[format]}`), other.bytes);
    cases.push({
      what: `a ${other.format} named ${format}`,
      format,
      dir: swapped,
      named: path.join(swapped, `wrong-ending${ENDING[format]}`),
      channels: 1,
      intact: other,
      size: { width: W, height: H },
    });
    const folder = caseDir();
    fs.mkdirSync(path.join(folder, `folder${ENDING[format]}`));
    cases.push({ what: `a folder named like a ${format}`, format: 'other', dir: folder, named: folder, channels: 1 });
  }
  const linkOut = caseDir();
  fs.symlinkSync(path.join(outside, 'secret.png'), path.join(linkOut, 'link.png'));
  cases.push({
    what: 'a link leaving the folder',
    format: 'other',
    dir: linkOut,
    named: path.join(linkOut, 'link.png'),
    channels: 1,
  });
  const linkUp = caseDir();
  fs.symlinkSync('../../good-1/good.png', path.join(linkUp, 'up.png'));
  cases.push({
    what: 'a relative link leaving the folder',
    format: 'other',
    dir: linkUp,
    named: path.join(linkUp, 'up.png'),
    channels: 1,
  });
  const broken = caseDir();
  fs.symlinkSync(path.join(outside, 'gone.png'), path.join(broken, 'broken.png'));
  cases.push({
    what: 'a broken link',
    format: 'other',
    dir: broken,
    named: path.join(broken, 'broken.png'),
    channels: 1,
  });
  const loop = caseDir();
  fs.symlinkSync('loop.png', path.join(loop, 'loop.png'));
  cases.push({ what: 'a link to itself', format: 'other', dir: loop, named: path.join(loop, 'loop.png'), channels: 1 });
});
after(() => outside && fs.rmSync(outside, { recursive: true, force: true }));

/** Asserts a refusal: the expected error class, the path named, and a reason after it. */
function assertRefusal(err: unknown, c: Case, where: string): string {
  const message = (err as Error)?.message ?? String(err);
  assert.ok(err instanceof DatasetError || err instanceof InputError, `${where}, ${c.what}: ${(err as Error)?.stack}`);
  const at = message.indexOf(c.named);
  assert.ok(at >= 0, `${where}, ${c.what}: "${message}" does not name ${c.named}`);
  assert.ok(message.length - at - c.named.length > 10, `${where}, ${c.what}: no reason in "${message}"`);
  return message;
}

/** Largest difference, on the 0-255 scale, between decoded pixels and the intact file's known values. */
function worstError(pixels: Float32Array, base: BaseImage, channels: 1 | 3): number {
  const alpha = base.label.includes('alpha') ? 1 : base.label.includes('rgba') ? 3 : -1;
  let worst = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const a = alpha < 0 ? 1 : value(x, y, alpha) / 255;
      for (let c = 0; c < channels; c++) {
        const expected = value(x, y, c) * a;
        worst = Math.max(worst, Math.abs(pixels[(y * W + x) * channels + c] * 255 - expected));
      }
    }
  }
  return worst;
}

test(`over 1,100 damaged, hostile and odd image files of the four formats: the loader and apply read each correctly or refuse it naming it and why`, async (t) => {
  // Warm up (TensorFlow.js, sharp, one model load) before taking the memory baseline.
  const warm = cases.find((c) => c.intact && c.channels === 1)!;
  await applyRun(runs[1], [warm.dir], { out: path.join(tmp, 'warm-out') });
  await loadImageFolder({ ...datasets[1]!, trainFolder: warm.dir }, tmp);
  const baselineMiB = process.resourceUsage().maxRSS / 1024;
  const counts = new Map<string, { tried: number; loaderRead: number; applied: number; refused: number }>();
  const reasons = new Map<string, number>();
  for (const [i, c] of cases.entries()) {
    const count = counts.get(c.format) ?? { tried: 0, loaderRead: 0, applied: 0, refused: 0 };
    counts.set(c.format, count);
    count.tried++;
    let readByLoader = false;
    try {
      const splits = await loadImageFolder({ ...datasets[c.channels]!, trainFolder: c.dir }, tmp);
      const [image] = splits.train;
      assert.equal(c.mustRefuse, undefined, `${c.what}: read but must be refused`);
      assert.ok(
        image.pixels.every((v) => Number.isFinite(v) && v >= 0 && v <= 1),
        `${c.what}: values outside [0,1]`,
      );
      if (c.intact) {
        assert.deepEqual([image.width, image.height, image.channels], [W, H, c.channels], c.what);
        const worst = worstError(image.pixels, c.intact, c.channels);
        assert.ok(worst <= (c.intact.lossless ? 1.01 : 32), `${c.what}: pixels off by ${worst} of 255`);
      }
      readByLoader = true;
      count.loaderRead++;
    } catch (err) {
      const message = assertRefusal(err, c, 'loader');
      const reason = message
        .slice(message.indexOf(c.named) + c.named.length + 2)
        .replace(/\(.*$/, '')
        .slice(0, 40);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      assert.ok(!c.intact, `${c.what}: an intact file was refused: ${message}`);
      if (c.mustRefuse) assert.match(message, c.mustRefuse);
    }
    const out = path.join(tmp, 'out', String(i));
    try {
      const [job] = await applyRun(runs[c.channels], [c.dir], { out });
      const meta = await sharp(job.output).metadata();
      if (c.intact) assert.deepEqual([meta.width, meta.height], [W, H], c.what);
      count.applied++;
      assert.ok(readByLoader, `${c.what}: apply read a file the loader refused`);
    } catch (err) {
      const message = assertRefusal(err, c, 'apply');
      if (c.mustRefuse) assert.match(message, c.mustRefuse);
      assert.equal(fs.existsSync(out), false, `${c.what}: a refused file left output`);
      count.refused++;
    }
  }
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  for (const [format, n] of counts)
    t.diagnostic(
      `${format}: ${n.tried} files, ${n.loaderRead} read by the loader, ${n.applied} applied, ${n.refused} refused by apply`,
    );
  t.diagnostic(
    `loader refusals by reason: ${JSON.stringify(Object.fromEntries([...reasons].sort((a, b) => b[1] - a[1])))}`,
  );
  t.diagnostic(
    `peak RSS ${peakMiB.toFixed(0)} MiB, ${(peakMiB - baselineMiB).toFixed(0)} MiB above the warm baseline; budget ${DEFAULT_MEMORY_MB} MiB`,
  );
  assert.ok(cases.length >= 1000);
  for (const format of ['png', 'jpeg', 'tiff', 'webp']) assert.ok(counts.get(format)!.tried >= 200, format);
  assert.ok(peakMiB - baselineMiB < DEFAULT_MEMORY_MB, `peak RSS grew ${peakMiB - baselineMiB} MiB`);
});

test('a link out of the dataset folder, a broken one and a loop are refused by name; a link inside is followed', async () => {
  const byWhat = (what: string) => cases.find((c) => c.what === what)!;
  const load = (c: Case) => loadImageFolder({ ...datasets[1]!, trainFolder: c.dir }, tmp);
  await assert.rejects(load(byWhat('a link leaving the folder')), {
    message: new RegExp(
      `link\\.png: a symbolic link to ${fs.realpathSync(outside)}/secret\\.png, outside the dataset folder`,
    ),
  });
  await assert.rejects(load(byWhat('a broken link')), { message: /broken\.png: a broken symbolic link \(ENOENT\)/ });
  await assert.rejects(load(byWhat('a link to itself')), { message: /loop\.png: a loop of symbolic links/ });
  const inside = caseDir();
  fs.mkdirSync(path.join(inside, 'real'));
  fs.copyFileSync(path.join(tmp, 'good-1', 'good.png'), path.join(inside, 'real', 'a.png'));
  fs.symlinkSync(path.join('real', 'a.png'), path.join(inside, 'b.png'));
  fs.symlinkSync('real', path.join(inside, 'again'));
  const splits = await load({ ...byWhat('a broken link'), dir: inside });
  assert.deepEqual(
    splits.train.map((e) => e.name),
    ['b.png', 'real/a.png'],
    'the linked file once more under its link name; the linked folder not walked twice',
  );
});
