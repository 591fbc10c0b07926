import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Dataset } from '../src/core/config/experimentConfig.generated';
import { validateConfig } from '../src/core/config/validateConfig';
import { DatasetError, loadDataset } from '../src/core/data/loadDataset';
import { loadImageFolder } from '../src/core/data/loadImageFolder';
import { encodeRgb, gray16Png, gray16Tiff, grayPng, rgbBytes } from './helpers/imageFiles';

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'denoise-image-folder-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(relative: string, data: Buffer | string): string {
  const file = path.join(tmp, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return file;
}

function dataset(over: Partial<Dataset>): Dataset {
  const base = validateConfig({
    dataset: { source: 'imageFolder', trainFolder: 'x' },
    noise: { steps: [] },
    model: { type: 'dncnn' },
  });
  assert.ok(base.ok);
  return { ...base.config.dataset, ...over };
}

async function rejectsWith(promise: Promise<unknown>, start: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DatasetError, `expected a DatasetError, got ${String(err)}`);
    assert.ok(err.message.startsWith(start), `message:\n${err.message}\nexpected to start with:\n${start}`);
    return true;
  });
}

const luma = (r: number, g: number, b: number) => (0.299 * r + 0.587 * g + 0.114 * b) / 255;
const colour = (x: number, y: number, c: number) => [40 + 10 * x, 200 - 7 * y, 90 + 3 * (x + y)][c];

describe('imageFolder: formats', () => {
  before(async () => {
    write('formats/a-rgb.png', await encodeRgb(rgbBytes(9, 7, colour), 9, 7, 'png'));
    write(
      'formats/b-photo.jpg',
      await encodeRgb(
        rgbBytes(16, 16, () => 128),
        16,
        16,
        'jpeg',
      ),
    );
    write('formats/c-lossless.webp', await encodeRgb(rgbBytes(5, 6, colour), 5, 6, 'webp'));
    write(
      'formats/d-gray.png',
      grayPng(4, 3, (x, y) => 10 * x + 50 * y),
    );
    write('formats/sub/e-deep16.png', gray16Png(3, 2, [0, 1, 0x8000, 1234, 65534, 65535]));
    write('formats/sub/f-scan16.tif', gray16Tiff(3, 2, [0, 1000, 2000, 0x8000, 40000, 65535]));
    write('formats/notes.txt', 'not an image, skipped');
    write('formats/.hidden.png', 'hidden, skipped');
  });

  test('PNG, JPEG, WebP and 16-bit PNG and TIFF load at full resolution, gray by BT.601 luma', async () => {
    const splits = await loadImageFolder(
      dataset({ trainFolder: 'formats', testFolder: 'formats', valFolder: 'formats' }),
      tmp,
    );
    const byName = new Map(splits.train.map((im) => [im.name, im]));
    assert.deepEqual(
      [...byName.keys()],
      ['a-rgb.png', 'b-photo.jpg', 'c-lossless.webp', 'd-gray.png', 'sub/e-deep16.png', 'sub/f-scan16.tif'],
    );
    const rgb = byName.get('a-rgb.png')!;
    assert.deepEqual([rgb.width, rgb.height, rgb.channels, rgb.pixels.length], [9, 7, 1, 63]);
    assert.ok(
      Math.abs(rgb.pixels[2 * 9 + 3] - luma(...([0, 1, 2].map((c) => colour(3, 2, c)) as [number, number, number]))) <
        1e-6,
    );
    assert.ok(
      Math.abs(byName.get('c-lossless.webp')!.pixels[7] - luma(colour(2, 1, 0), colour(2, 1, 1), colour(2, 1, 2))) <
        1e-6,
    );
    assert.ok(
      byName.get('b-photo.jpg')!.pixels.every((v) => Math.abs(v - 128 / 255) <= 1.5 / 255),
      'a uniform JPEG stays uniform',
    );
    assert.deepEqual(
      Array.from(byName.get('d-gray.png')!.pixels),
      [0, 10, 20, 30, 50, 60, 70, 80, 100, 110, 120, 130].map((v) => Math.fround(v / 255)),
    );
    // 16 bits survive: 1/65535 apart is not 1/255 apart.
    assert.deepEqual(
      Array.from(byName.get('sub/e-deep16.png')!.pixels),
      [0, 1, 0x8000, 1234, 65534, 65535].map((v) => Math.fround(v / 65535)),
    );
    assert.deepEqual(
      Array.from(byName.get('sub/f-scan16.tif')!.pixels),
      [0, 1000, 2000, 0x8000, 40000, 65535].map((v) => Math.fround(v / 65535)),
    );
  });

  test('channels 3 keeps RGB, and a gray file repeats its value in the three channels', async () => {
    const splits = await loadImageFolder(
      dataset({ trainFolder: 'formats', testFolder: 'formats', valFolder: 'formats', channels: 3 }),
      tmp,
    );
    const rgb = splits.test.find((im) => im.name === 'a-rgb.png')!;
    assert.deepEqual([rgb.channels, rgb.pixels.length], [3, 9 * 7 * 3]);
    const at = (x: number, y: number, c: number) => rgb.pixels[(y * 9 + x) * 3 + c];
    assert.deepEqual(
      [at(3, 2, 0), at(3, 2, 1), at(3, 2, 2)],
      [0, 1, 2].map((c) => Math.fround(colour(3, 2, c) / 255)),
    );
    const gray = splits.test.find((im) => im.name === 'd-gray.png')!;
    assert.deepEqual(
      Array.from(gray.pixels.subarray(3, 6)),
      [10, 10, 10].map((v) => Math.fround(v / 255)),
    );
  });
});

describe('imageFolder: splits', () => {
  before(async () => {
    for (let i = 0; i < 20; i++)
      write(
        `pool/img-${String(i).padStart(2, '0')}.png`,
        grayPng(8, 8, () => i * 10),
      );
    for (let i = 0; i < 3; i++)
      write(
        `held/test-${i}.png`,
        grayPng(10, 12, () => 250),
      );
  });

  test('a seeded split of one folder: disjoint, sized by testFraction and valFraction, the same for the same seed', async () => {
    const names = async (splitSeed: number) => {
      const s = await loadImageFolder(
        dataset({ trainFolder: 'pool', testFraction: 0.2, valFraction: 0.25, splitSeed }),
        tmp,
      );
      return {
        train: s.train.map((im) => im.name),
        val: s.val.map((im) => im.name),
        test: s.test.map((im) => im.name),
        name: s.name,
      };
    };
    const a = await names(7);
    assert.deepEqual([a.train.length, a.val.length, a.test.length], [12, 4, 4]);
    assert.equal(new Set([...a.train, ...a.val, ...a.test]).size, 20);
    assert.equal(a.name, 'image folder pool (12 train), 4 validation held out, 4 test held out');
    assert.deepEqual(await names(7), a);
    assert.notDeepEqual((await names(8)).test, a.test);
  });

  test('testFolder and valFolder are used whole, and trainFolder keeps all its images', async () => {
    const s = await loadImageFolder(dataset({ trainFolder: 'pool', testFolder: 'held', valFolder: 'held' }), tmp);
    assert.deepEqual([s.train.length, s.val.length, s.test.length], [20, 3, 3]);
    assert.deepEqual([s.test[0].width, s.test[0].height], [10, 12]);
    assert.equal(s.name, 'image folder pool (20 train), held (3 validation), held (3 test)');
  });

  test('a dense model gets every image gray and resized to imageSize, said in the dataset name', async () => {
    const s = await loadDataset(
      dataset({ trainFolder: 'pool', testFolder: 'held', valFolder: 'held', imageSize: 16 }),
      tmp,
    );
    assert.deepEqual([s.train.count, s.train.height, s.train.width, s.test.count], [20, 16, 16, 3]);
    assert.ok(s.test.pixels.every((v) => Math.abs(v - 250 / 255) < 1e-6));
    assert.match(s.name, /resized to 16x16$/);
  });

  test('a missing, empty or too small folder is refused with the field to fix', async () => {
    write('empty/readme.md', 'no images');
    write(
      'single/only.png',
      grayPng(8, 8, () => 1),
    );
    await rejectsWith(
      loadImageFolder(dataset({ trainFolder: 'nowhere' }), tmp),
      `dataset.trainFolder: no such folder: ${path.join(tmp, 'nowhere')}`,
    );
    await rejectsWith(
      loadImageFolder(dataset({ trainFolder: 'empty' }), tmp),
      `dataset.trainFolder: no images (.png, .jpg, .jpeg, .tif, .tiff, .webp) in ${path.join(tmp, 'empty')}`,
    );
    await rejectsWith(
      loadImageFolder(dataset({ trainFolder: 'single' }), tmp),
      `dataset.trainFolder: ${path.join(tmp, 'single')} holds 1 image(s), too few to also hold out validation and test images; add images or give dataset.testFolder and dataset.valFolder`,
    );
    await rejectsWith(
      loadImageFolder(dataset({ trainFolder: undefined }), tmp),
      "dataset.trainFolder is required when dataset.source is 'imageFolder'",
    );
  });
});

describe('imageFolder: refused files', () => {
  test('a folder over dataset.memoryBudgetMB is refused from the headers alone, with the estimate and the field', async () => {
    // Each file's header says 4000x3000, but its pixel data is that of an 8x8 image: decoding any of them
    // would fail, so the budget error proves that nothing was decoded.
    const header = grayPng(8, 8, () => 0);
    header.writeUInt32BE(4000, 16);
    header.writeUInt32BE(3000, 20);
    for (let i = 0; i < 6; i++) write(`big/${i}.png`, header);
    await rejectsWith(
      loadImageFolder(dataset({ trainFolder: 'big', memoryBudgetMB: 200, channels: 3 }), tmp),
      'dataset.memoryBudgetMB: the 6 images of the dataset folders would take 824 MiB decoded as 32-bit floats, ' +
        `more than dataset.memoryBudgetMB = 200 (the largest is ${path.join(tmp, 'big', '1.png')}, 4000x3000 pixels); ` +
        'raise dataset.memoryBudgetMB or use fewer or smaller images',
    );
  });

  test('corrupt, truncated, hostile and unsupported files are refused with their name and the reason', async () => {
    const good = grayPng(8, 8, (x) => x * 30);
    const cases: [string, Buffer | string, string][] = [
      [
        'garbage/x.png',
        'this is text, not a PNG',
        'not a readable image (Input file contains unsupported image format)',
      ],
      [
        'truncated/x.jpg',
        (await encodeRgb(rgbBytes(64, 64, colour), 64, 64, 'jpeg')).subarray(0, 400),
        'cannot be decoded (',
      ],
      ['cut/x.png', good.subarray(0, good.length - 30), 'cannot be decoded ('],
      ['gif/x.gif', 'GIF89a', 'unsupported image format (.gif); Denoise Lab reads PNG, JPEG, TIFF and WebP'],
    ];
    const bomb = Buffer.from(good);
    bomb.writeUInt32BE(60000, 16);
    bomb.writeUInt32BE(60000, 20);
    cases.push([
      'bomb/x.png',
      bomb,
      'header says 60000x60000 pixels, more than the 100,000,000-pixel limit for a dataset image; refused before decoding',
    ]);
    for (const [relative, data, reason] of cases) {
      const file = write(relative, data);
      for (let i = 0; i < 2; i++) write(path.join(path.dirname(relative), `ok-${i}.png`), good);
      await rejectsWith(loadImageFolder(dataset({ trainFolder: path.dirname(relative) }), tmp), `${file}: ${reason}`);
    }
  });
});

describe('imageFolder: config', () => {
  const problems = (raw: object) => {
    const r = validateConfig({ noise: { steps: [] }, model: { type: 'dncnn' }, ...raw });
    return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
  };
  test('misuse is reported with the field and what to do', () => {
    assert.deepEqual(problems({ dataset: { source: 'imageFolder' }, model: { type: 'dncnn' } }), [
      "dataset.trainFolder: is required when dataset.source is 'imageFolder'",
    ]);
    assert.deepEqual(
      problems({ dataset: { source: 'imageFolder', trainFolder: 'a', channels: 3 }, model: { type: 'dense' } }),
      [
        'dataset.channels: 3 (colour) needs a fully convolutional model (conv, dncnn or unet); a dense model takes gray images of dataset.imageSize',
      ],
    );
    assert.deepEqual(
      problems({
        dataset: { source: 'imageFolder', trainFolder: 'a' },
        model: { type: 'unet', levels: 3 },
        training: { patchSize: 36 },
      }),
      ["training.patchSize: 36 is not divisible by 8, which the unet model's down-sampling stages need; use e.g. 40"],
    );
    assert.deepEqual(problems({ dataset: { source: 'mnist', testFolder: 'b' } }), [
      "dataset.testFolder: is only read when dataset.source is 'imageFolder' (it is 'mnist')",
    ]);
    assert.deepEqual(problems({ dataset: { source: 'imageFolder', trainFolder: 'a', channels: 2 } }).length, 1);
  });
});
