/**
 * The fast reader of the project's own gray PNGs (the epoch slider's images) gives exactly what pngjs gives,
 * and leaves every other kind of PNG to pngjs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { decodeOwnGrayPng } from '../src/core/images/grayPng';
import { decodeGrayPng, decodeGrayPngBytes, encodeGrayPng } from '../src/core/images/png';

/** Pixels with noise, flat areas and gradients, so that every line filter is worth choosing somewhere. */
function mixedPixels(width: number, height: number, seed: number): Float32Array {
  let s = seed;
  const random = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Float32Array.from({ length: width * height }, (_, i) => {
    const x = i % width;
    const y = Math.floor(i / width);
    if (y % 7 < 2) return random();
    if (y % 7 < 4) return x / width;
    if (y % 7 < 5) return (x + y) / (width + height);
    return 0.5;
  });
}

const pngjsGray = (buf: Buffer) => {
  const png = PNG.sync.read(buf);
  return Uint8Array.from({ length: png.width * png.height }, (_, i) => png.data[4 * i]);
};

test('an 8-bit gray PNG decodes to the bytes pngjs reads, whatever filters each line used', () => {
  for (const [width, height, seed] of [
    [172, 462, 1],
    [1, 1, 2],
    [3, 50, 3],
    [64, 9, 4],
  ]) {
    for (const filterType of [-1, 0, 1, 2, 3, 4]) {
      const png = new PNG({ width, height });
      const gray = encodeGrayPng(mixedPixels(width, height, seed), width, height);
      // Re-encoded with each filter forced, as well as pngjs's own choice per line (-1).
      png.data = PNG.sync.read(gray).data;
      const file = PNG.sync.write(png, { colorType: 0, inputColorType: 6, bitDepth: 8, filterType });
      const own = decodeOwnGrayPng(file);
      assert.ok(own, `${width}x${height} filter ${filterType} was not read`);
      assert.equal(own.width, width);
      assert.equal(own.height, height);
      assert.deepEqual(own.bytes, pngjsGray(file), `${width}x${height} filter ${filterType}`);
    }
  }
});

test('image data split over several IDAT chunks is joined', () => {
  const file = encodeGrayPng(mixedPixels(40, 30, 5), 40, 30);
  const at = file.indexOf('IDAT') - 4;
  const length = file.readUInt32BE(at);
  const data = file.subarray(at + 8, at + 8 + length);
  const chunk = (part: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(part.length);
    head.write('IDAT', 4);
    return Buffer.concat([head, part, Buffer.alloc(4)]);
  };
  const half = Math.floor(length / 2);
  const split = Buffer.concat([
    file.subarray(0, at),
    chunk(data.subarray(0, half)),
    chunk(data.subarray(half)),
    file.subarray(at + 12 + length),
  ]);
  assert.deepEqual(decodeOwnGrayPng(split)?.bytes, pngjsGray(file));
});

test('colour, alpha and 16-bit PNGs are left to pngjs, and decodeGrayPng still reads them', () => {
  const png = new PNG({ width: 2, height: 1 });
  png.data = Buffer.from([255, 0, 0, 255, 0, 0, 255, 128]);
  const rgba = PNG.sync.write(png);
  assert.equal(decodeOwnGrayPng(rgba), undefined);
  const image = decodeGrayPng(rgba);
  assert.ok(Math.abs(image.pixels[0] - 0.299) < 0.01, `red's luma ${image.pixels[0]}`);
  assert.ok(image.pixels[1] > 0 && image.pixels[1] < 0.114 / 2 + 0.01, `half transparent blue ${image.pixels[1]}`);
  const sixteen = PNG.sync.write(png, { colorType: 0, inputColorType: 6, bitDepth: 16 });
  assert.equal(decodeOwnGrayPng(sixteen), undefined);
  assert.equal(decodeOwnGrayPng(Buffer.from('not a png at all, but long enough to be read')), undefined);
});

test('a gray PNG read by decodeGrayPng gives back the values it was written with', () => {
  const pixels = Float32Array.from({ length: 256 }, (_, i) => i / 255);
  const back = decodeGrayPng(encodeGrayPng(pixels, 16, 16));
  assert.deepEqual(
    [...back.pixels].map((v) => Math.round(v * 255)),
    [...pixels].map((v) => Math.round(v * 255)),
  );
});

test('decodeGrayPngBytes gives every PNG as the 8-bit values of decodeGrayPng, the own kind byte for byte', () => {
  const gray = encodeGrayPng(mixedPixels(33, 21, 6), 33, 21);
  assert.deepEqual(decodeGrayPngBytes(gray).bytes, pngjsGray(gray));
  const png = new PNG({ width: 3, height: 1 });
  png.data = Buffer.from([255, 0, 0, 255, 0, 0, 255, 128, 40, 40, 40, 255]);
  const rgba = PNG.sync.write(png);
  const bytes = decodeGrayPngBytes(rgba);
  assert.equal(bytes.width, 3);
  // Red's luma 0.299 x 255, half-transparent blue 0.114 x 255 x 128/255, and an opaque gray as it is.
  assert.deepEqual([...bytes.bytes], [76, 15, 40]);
});
