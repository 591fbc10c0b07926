import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import type { ImageSet } from '../src/core/data/imageSet';
import { GRID_BACKGROUND, renderImageGrid } from '../src/core/images/imageGrid';
import { decodeGrayPng, encodeGrayPng } from '../src/core/images/png';

/** `count` images of width x height whose pixel values are distinct multiples of 1/255 (exact in 8 bits). */
function imageSet(count: number, height: number, width: number, offset: number): ImageSet {
  const pixels = Float32Array.from({ length: count * height * width }, (_, i) => ((offset + i * 3) % 256) / 255);
  return { pixels, count, height, width };
}

test('encodeGrayPng writes an 8-bit grayscale PNG that decodes to the same values', () => {
  const pixels = Float32Array.from({ length: 6 * 4 }, (_, i) => (i * 11) / 255);
  const png = encodeGrayPng(pixels, 6, 4);
  // IHDR: width and height at bytes 16-23, then bit depth and colour type (0 = grayscale).
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]], [6, 4, 8, 0]);
  const decoded = decodeGrayPng(png);
  assert.deepEqual([decoded.width, decoded.height], [6, 4]);
  assert.deepEqual(decoded.pixels, pixels);
  // Any PNG reader sees the same gray levels.
  const rgba = PNG.sync.read(png).data;
  assert.deepEqual(
    Array.from({ length: 24 }, (_, i) => rgba[i * 4]),
    Array.from(pixels, (v) => Math.round(v * 255)),
  );
});

test('encodeGrayPng clips out-of-range values and draws NaN as black', () => {
  const decoded = decodeGrayPng(encodeGrayPng(Float32Array.from([-0.5, 1.7, NaN, 0.5]), 2, 2));
  assert.deepEqual(Array.from(decoded.pixels), [0, 1, 0, 128 / 255].map(Math.fround));
});

test('encodeGrayPng refuses a pixel count that does not match the size', () => {
  assert.throws(() => encodeGrayPng(new Float32Array(5), 2, 2), /expected 4 pixels for 2x2, got 5/);
});

test('decodeGrayPng converts colour with BT.601 luma and composites alpha over black', () => {
  const image = new PNG({ width: 2, height: 1 });
  image.data.set([255, 0, 0, 255, 0, 255, 0, 51]);
  const { pixels } = decodeGrayPng(PNG.sync.write(image));
  assert.ok(Math.abs(pixels[0] - 0.299) < 1e-6, `red: ${pixels[0]}`);
  assert.ok(Math.abs(pixels[1] - 0.587 * 0.2) < 1e-6, `translucent green: ${pixels[1]}`);
});

test('renderImageGrid lays out columns side by side, images top to bottom, scaled with gaps', () => {
  const columns = [
    { title: 'clean', images: imageSet(2, 2, 3, 0) },
    { title: 'noisy', images: imageSet(2, 2, 3, 40) },
    { title: 'denoised', images: imageSet(2, 2, 3, 80) },
  ];
  const grid = renderImageGrid(columns, { scale: 2, gap: 1 });
  // 3 columns of 3*2 pixels with 2 gaps; 2 rows of 2*2 pixels with 1 gap.
  assert.deepEqual([grid.width, grid.height], [20, 9]);
  const { pixels, width, height } = decodeGrayPng(grid.png);
  assert.deepEqual([width, height], [20, 9]);
  const at = (x: number, y: number) => pixels[y * width + x];
  const background = Math.round(GRID_BACKGROUND * 255) / 255;
  columns.forEach(({ images }, c) => {
    for (let k = 0; k < 2; k++) {
      for (let y = 0; y < 4; y++) {
        for (let x = 0; x < 6; x++) {
          const source = images.pixels[k * 6 + Math.floor(y / 2) * 3 + Math.floor(x / 2)];
          assert.equal(at(c * 7 + x, k * 5 + y), source, `column ${c}, image ${k}, pixel ${x},${y}`);
        }
      }
    }
  });
  for (let y = 0; y < height; y++) {
    assert.equal(at(6, y), Math.fround(background), 'gap after the first column');
    assert.equal(at(13, y), Math.fround(background), 'gap after the second column');
  }
  for (let x = 0; x < width; x++) assert.equal(at(x, 4), Math.fround(background), 'gap between the rows');
});

test('renderImageGrid defaults to 2x scale with a 2-pixel gap', () => {
  const grid = renderImageGrid([{ title: 'only', images: imageSet(3, 4, 5, 0) }]);
  assert.deepEqual([grid.width, grid.height], [10, 3 * 8 + 2 * 2]);
});

test('renderImageGrid refuses columns that do not match', () => {
  assert.throws(
    () =>
      renderImageGrid([
        { title: 'clean', images: imageSet(4, 28, 28, 0) },
        { title: 'denoised', images: imageSet(3, 28, 28, 0) },
      ]),
    /column "denoised" has 3 images of 28x28 but column "clean" has 4 images of 28x28/,
  );
  assert.throws(
    () =>
      renderImageGrid([
        { title: 'clean', images: imageSet(2, 28, 28, 0) },
        { title: 'noisy', images: imageSet(2, 14, 14, 0) },
      ]),
    /column "noisy" has 2 images of 14x14/,
  );
  assert.throws(() => renderImageGrid([]), /at least one column/);
});
