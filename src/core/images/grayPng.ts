import { inflateSync } from 'node:zlib';

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/**
 * Decodes the PNGs this project writes itself (encodeGrayPng: 8-bit grayscale, not interlaced) to their gray
 * bytes, or undefined for any other kind, which pngjs then reads. pngjs takes about 1.5 ms for a run's
 * 172x462 epoch grid (it expands every file to RGBA in a general-purpose loop), so the epoch slider's jump to an
 * epoch not read ahead spent ~150 ms of its 50 runs in it; zlib's native inflate and one pass of unfiltering
 * here take a tenth of that (BENCHMARKS.md, page bench). CRCs are not checked: a damaged file fails to inflate,
 * or decodes to wrong pixels as it would in an image viewer.
 */
export function decodeOwnGrayPng(buf: Uint8Array): { bytes: Uint8Array; width: number; height: number } | undefined {
  if (buf.length < 33 || SIGNATURE.some((b, i) => buf[i] !== b)) return undefined;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  for (let at = 8; at + 8 <= buf.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(buf[at + 4], buf[at + 5], buf[at + 6], buf[at + 7]);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (data.length !== length) return undefined;
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const [depth, colourType, compression, filter, interlace] = data.subarray(8, 13);
      if (depth !== 8 || colourType !== 0 || compression !== 0 || filter !== 0 || interlace !== 0) return undefined;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'tRNS')
      return undefined; // transparency: pngjs composites it over black
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (width < 1 || height < 1 || idat.length === 0) return undefined;
  const raw = inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat));
  if (raw.length < (width + 1) * height) return undefined;
  const bytes = unfilter(raw, width, height);
  return bytes && { bytes, width, height };
}

/**
 * Undoes the per-line filters (PNG spec, section 9; one byte per pixel, so the left neighbour is one back). One
 * loop per filter: a branch on the filter for every pixel made this 5 times slower.
 */
function unfilter(raw: Uint8Array, width: number, height: number): Uint8Array | undefined {
  const out = new Uint8Array(width * height);
  // Line -1 is all zeros: the first line's "up" neighbours.
  const zeros = new Uint8Array(width);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (width + 1)];
    const line = raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1));
    const row = out.subarray(y * width, (y + 1) * width);
    const up = y > 0 ? out.subarray((y - 1) * width, y * width) : zeros;
    switch (filter) {
      case 0:
        row.set(line);
        break;
      case 1:
        row[0] = line[0];
        for (let x = 1; x < width; x++) row[x] = line[x] + row[x - 1];
        break;
      case 2:
        for (let x = 0; x < width; x++) row[x] = line[x] + up[x];
        break;
      case 3:
        row[0] = line[0] + (up[0] >> 1);
        for (let x = 1; x < width; x++) row[x] = line[x] + ((row[x - 1] + up[x]) >> 1);
        break;
      case 4:
        row[0] = line[0] + up[0];
        for (let x = 1; x < width; x++) {
          const a = row[x - 1];
          const b = up[x];
          const c = up[x - 1];
          const pa = Math.abs(b - c);
          const pb = Math.abs(a - c);
          const pc = Math.abs(a + b - 2 * c);
          row[x] = line[x] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
        }
        break;
      default:
        // An unknown filter: pngjs says what is wrong.
        return undefined;
    }
  }
  return out;
}
