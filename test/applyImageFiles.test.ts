import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { readInputImage, writeOutputImage } from '../src/core/apply/imageFileIo';
import { encodeRgb, gray16Png, rgbBytes } from './helpers/imageFiles';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'denoise-apply-files-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const colour = (x: number, y: number, c: number) => [20 + 9 * x, 230 - 8 * y, 100 + 5 * (x + y)][c];

for (const format of ['png', 'webp', 'jpeg'] as const) {
  test(`a colour ${format} file is written back as colour ${format} of the same size, values kept`, async () => {
    const input = path.join(tmp, `in.${format}`);
    fs.writeFileSync(input, await encodeRgb(rgbBytes(11, 7, colour), 11, 7, format));
    const { image, header } = await readInputImage(input, 'in', 3);
    const output = path.join(tmp, 'out', `in.${format}`);
    fs.mkdirSync(path.dirname(output), { recursive: true });
    await writeOutputImage(output, header, image);
    const meta = await sharp(output).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.channels, meta.depth], [format, 11, 7, 3, 'uchar']);
    const again = await readInputImage(output, 'out', 3);
    const tolerance = format === 'jpeg' ? 6 : 0;
    const worst = Math.max(...image.samples.map((v, i) => Math.abs(v - again.image.samples[i])));
    assert.ok(worst <= tolerance, `${format}: largest change ${worst} of 255`);
  });
}

test('a 16-bit gray PNG stays 16-bit with its values exact', async () => {
  const values = [0, 1, 0x8000, 1234, 65534, 65535];
  const input = path.join(tmp, 'deep.png');
  fs.writeFileSync(input, gray16Png(3, 2, values));
  const { image, header } = await readInputImage(input, 'deep', 1);
  const output = path.join(tmp, 'deep-out.png');
  await writeOutputImage(output, header, image);
  const meta = await sharp(output).metadata();
  assert.deepEqual([meta.format, meta.channels, meta.depth], ['png', 1, 'ushort']);
  const data = await sharp(output).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer();
  assert.deepEqual([...new Uint16Array(data.buffer, data.byteOffset, 6)], values);
});
