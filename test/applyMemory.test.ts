/**
 * How `denoise apply` splits its memory budget (src/core/apply/applyMemory.ts): the engine and model, the largest
 * image's samples with its result, and tiles in the rest; a budget too small for the image is refused with the
 * figure it needs, and the default is raised to it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitApplyMemory } from '../src/core/apply/applyMemory';
import type { ImageHeader } from '../src/core/data/decodeImageFile';
import { InputError } from '../src/core/errors/inputError';

const MB = 2 ** 20;
const header = (file: string, width: number, height: number, sixteenBit = false): ImageHeader => ({
  file,
  width,
  height,
  format: 'png',
  sixteenBit,
  channels: 3,
});
const split = (requestedMb: number | undefined, headers: ImageHeader[]) =>
  splitApplyMemory({ requestedMb, defaultMb: 1024, residentBytes: 120 * MB, headers, channels: 3, minTileMb: 40 });

test('the largest image decides: 100 megapixels of 8-bit colour leave 1,024 - 120 - 573 MB for tiles', () => {
  const memory = split(undefined, [header('small.png', 640, 480), header('big.png', 10_000, 10_000)]);
  // Samples held once and the encoded result: 2 x 3 bytes a pixel.
  assert.equal(memory.tileMb, 1024 - 120 - Math.ceil((6 * 1e8) / MB));
  assert.match(memory.note, /^memory 1,024 MB: 120 MB engine and model, 573 MB for the largest image/);
});

test('a budget given that cannot hold the image and a 256 px tile is refused, naming the file and the figure', () => {
  assert.throws(
    () => split(500, [header('/photos/big.png', 10_000, 10_000)]),
    (err: Error) =>
      err instanceof InputError &&
      /\/photos\/big\.png: --memory-mb 500 is too little: .* 573 MB, .* 40 MB; give at least --memory-mb 733$/.test(
        err.message,
      ),
  );
});

test('the default budget is raised for a 16-bit colour image that needs more, and says so', () => {
  const memory = split(undefined, [header('/scans/deep.tif', 10_000, 10_000, true)]);
  assert.equal(memory.tileMb, 40);
  assert.match(
    memory.note,
    /^memory 1,305 MB \(the default 1,024 MB raised for deep\.tif \(10000x10000, colour, 16-bit\)\)/,
  );
});
