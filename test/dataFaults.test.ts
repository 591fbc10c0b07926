/**
 * Broken and hostile dataset files, beyond the cases in data.test.ts: seeded byte-level corruption of IDX
 * and PNG files, an empty dataset, a header promising more than memory holds, a PNG "bomb", and a dataset
 * too large for memory refused through loadDataset before anything is allocated. Every failure must be a
 * DatasetError naming the file or field; nothing else may escape.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import type { Dataset } from '../src/core/config/experimentConfig.generated';
import { parseIdxImages, parseIdxLabels } from '../src/core/data/idx';
import { DatasetError, loadDataset } from '../src/core/data/loadDataset';
import { MAX_PNG_PIXELS, readPngImages } from '../src/core/data/pngFolder';
import { SeededRandom } from '../src/core/random/seededRandom';

const tmp = mkdtempSync(join(tmpdir(), 'denoise-data-faults-'));
const rng = new SeededRandom(404);
const CORRUPTIONS = 500;

function idxImages(count: number, height: number, width: number): Buffer {
  const buf = Buffer.alloc(16 + count * height * width, 7);
  buf.writeUInt32BE(0x00000803, 0);
  buf.writeUInt32BE(count, 4);
  buf.writeUInt32BE(height, 8);
  buf.writeUInt32BE(width, 12);
  return buf;
}

function png(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  image.data.fill(200);
  return PNG.sync.write(image, { colorType: 0 });
}

/** Flips, truncates or overwrites bytes, favouring the header where parsers decide how much to read. */
function corrupt(original: Buffer): Buffer {
  const buf = Buffer.from(original);
  switch (rng.nextInt(4)) {
    case 0:
      return buf.subarray(0, rng.nextInt(buf.length));
    case 1:
      for (let n = 1 + rng.nextInt(4); n > 0; n--) buf[rng.nextInt(Math.min(buf.length, 40))] = rng.nextInt(256);
      return buf;
    case 2:
      buf.writeUInt32BE(rng.nextUint32(), 4 * (1 + rng.nextInt(3)));
      return buf;
    default:
      return Buffer.concat([buf, Buffer.alloc(1 + rng.nextInt(50), rng.nextInt(256))]);
  }
}

function onlyDatasetErrors(fn: () => unknown, label: string): 'ok' | 'refused' {
  try {
    fn();
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof DatasetError, `${label}: ${(err as Error).name}: ${(err as Error).message}`);
    return 'refused';
  }
}

test(`${CORRUPTIONS} corrupted IDX image files, raw and gzipped, and as many label files: each loads or is refused with a DatasetError`, (t) => {
  const images = idxImages(20, 8, 8);
  const labels = Buffer.concat([Buffer.from([0, 0, 8, 1, 0, 0, 0, 20]), Buffer.alloc(20, 3)]);
  let refused = 0;
  for (let i = 0; i < CORRUPTIONS; i++) {
    const bad = corrupt(images);
    const zipped = i % 3 === 0 ? corrupt(gzipSync(images)) : gzipSync(bad);
    for (const [contents, label] of [
      [bad, 'raw'],
      [zipped, 'gzip'],
    ] as const) {
      if (
        onlyDatasetErrors(() => parseIdxImages(contents, `case-${i}-${label}`), `image case ${i} ${label}`) ===
        'refused'
      )
        refused++;
    }
    onlyDatasetErrors(() => parseIdxLabels(corrupt(labels), `labels-${i}`), `label case ${i}`);
  }
  t.diagnostic(`corrupted IDX files: ${CORRUPTIONS * 3}; image files refused ${refused} of ${CORRUPTIONS * 2}`);
  assert.ok(refused > CORRUPTIONS, 'most corruptions are caught');
});

test('an IDX header promising billions of images is refused from the header, before any allocation', () => {
  const header = idxImages(0, 28, 28);
  header.writeUInt32BE(0xffffffff, 4);
  assert.throws(
    () => parseIdxImages(header, 'huge'),
    (err: unknown) =>
      err instanceof DatasetError && /^huge: truncated: header says 4294967295 images of 28x28/.test(err.message),
  );
});

test('an empty dataset (an IDX file of zero images) says it has 0 images and which fields to lower', async () => {
  const file = join(tmp, 'empty-idx3-ubyte');
  writeFileSync(file, idxImages(0, 28, 28));
  const dataset: Dataset = {
    source: 'idx',
    trainImages: file,
    imageSize: 28,
    trainSize: 10,
    valSize: 1,
    testSize: 1,
    splitSeed: 1,
    channels: 1,
    valFraction: 0.05,
    testFraction: 0.2,
    memoryBudgetMB: 4096,
  };
  await assert.rejects(
    loadDataset(dataset, tmp),
    (err: unknown) =>
      err instanceof DatasetError &&
      /= 12 but .*empty-idx3-ubyte has 0 images; lower trainSize, valSize or testSize/.test(err.message),
  );
});

test(`${CORRUPTIONS} corrupted PNG files: each decodes or is refused naming the file`, async (t) => {
  const good = png(12, 9);
  const dir = join(tmp, 'corrupt-png');
  mkdirSync(dir, { recursive: true });
  let refused = 0;
  for (let i = 0; i < CORRUPTIONS; i++) {
    const file = join(dir, `case-${i}.png`);
    writeFileSync(file, corrupt(good));
    try {
      await readPngImages([file], 8);
    } catch (err) {
      assert.ok(
        err instanceof DatasetError && err.message.startsWith(file),
        `case ${i}: ${(err as Error).name}: ${(err as Error).message}`,
      );
      refused++;
    }
  }
  t.diagnostic(`corrupted PNG files: ${CORRUPTIONS}; refused ${refused}`);
  assert.ok(refused > CORRUPTIONS / 2);
});

test('a PNG whose header claims 60000x60000 pixels is refused before decoding (it would take gigabytes)', async () => {
  const bomb = Buffer.from(png(4, 4));
  bomb.writeUInt32BE(60000, 16);
  bomb.writeUInt32BE(60000, 20);
  const file = join(tmp, 'bomb.png');
  writeFileSync(file, bomb);
  await assert.rejects(
    readPngImages([file], 28),
    (err: unknown) =>
      err instanceof DatasetError &&
      err.message ===
        `${file}: header says 60000x60000 pixels, more than the ${MAX_PNG_PIXELS.toLocaleString('en-US')}-pixel limit for a dataset image; refused before decoding`,
  );
});

test('a PNG folder too large for memory is refused by loadDataset with the estimate, before decoding a file', async () => {
  // 17,000 files named .png that are not images: decoding any of them would fail differently, so the
  // budget error proves the refusal came first.
  const dir = join(tmp, 'many');
  mkdirSync(dir);
  for (let i = 0; i < 17_000; i++) writeFileSync(join(dir, `${i}.png`), 'not decoded');
  const dataset: Dataset = {
    source: 'pngFolder',
    folder: dir,
    imageSize: 256,
    trainSize: 16_000,
    valSize: 500,
    testSize: 500,
    splitSeed: 1,
    channels: 1,
    valFraction: 0.05,
    testFraction: 0.2,
    memoryBudgetMB: 4096,
  };
  await assert.rejects(
    loadDataset(dataset, tmp),
    (err: unknown) =>
      err instanceof DatasetError &&
      err.message ===
        'dataset.trainSize + dataset.valSize + dataset.testSize: 17000 images of 256x256 would need 4.2 GiB as 32-bit floats, more than the 4 GiB limit',
  );
});
