import { promises as fs } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './datasetError';
import type { ImageSet } from './imageSet';
import { assertPixelBudget } from './pixelBudget';

export { DatasetError } from './datasetError';

/** IDX magic numbers: two zero bytes, data type 0x08 (unsigned byte), then the number of dimensions. */
const IMAGES_MAGIC = 0x00000803;
const LABELS_MAGIC = 0x00000801;
const IMAGES_HEADER_BYTES = 16;
const LABELS_HEADER_BYTES = 8;

/**
 * Parses the contents of an IDX3 unsigned-byte image file, raw or gzip-compressed, into pixels in [0,1].
 * `file` is the path (or name) used in error messages.
 */
export function parseIdxImages(contents: Uint8Array, file: string): ImageSet {
  const { data, note } = unpack(contents, file);
  const view = header(data, file, IMAGES_HEADER_BYTES, IMAGES_MAGIC, 'image');
  const count = view.getUint32(4);
  const height = view.getUint32(8);
  const width = view.getUint32(12);
  if (height === 0 || width === 0) {
    throw new DatasetError(`${file}: header says images are ${height}x${width}; both sides must be at least 1`);
  }
  const pixelCount = count * height * width;
  checkLength(data, file, note, IMAGES_HEADER_BYTES + pixelCount, `${count} images of ${height}x${width}`);
  assertPixelBudget(count, height, width, file);
  const pixels = new Float32Array(pixelCount);
  for (let i = 0; i < pixelCount; i++) pixels[i] = data[IMAGES_HEADER_BYTES + i] / 255;
  return { pixels, count, height, width };
}

/** Parses the contents of an IDX1 unsigned-byte label file, raw or gzip-compressed. */
export function parseIdxLabels(contents: Uint8Array, file: string): Uint8Array {
  const { data, note } = unpack(contents, file);
  const view = header(data, file, LABELS_HEADER_BYTES, LABELS_MAGIC, 'label');
  const count = view.getUint32(4);
  checkLength(data, file, note, LABELS_HEADER_BYTES + count, `${count} labels`);
  // A copy, so callers get a plain Uint8Array that does not pin the whole file buffer.
  return new Uint8Array(data.subarray(LABELS_HEADER_BYTES));
}

/** Reads and parses an IDX image file, reusing the parsed result while the file is unchanged. */
export function readIdxImages(path: string): Promise<ImageSet> {
  return cachedRead('images', path, parseIdxImages);
}

/** Reads and parses an IDX label file, reusing the parsed result while the file is unchanged. */
export function readIdxLabels(path: string): Promise<Uint8Array> {
  return cachedRead('labels', path, parseIdxLabels);
}

/** The images with their labels, after checking that there is exactly one label per image. */
export function attachLabels(images: ImageSet, labels: Uint8Array, labelFile: string): ImageSet {
  if (labels.length !== images.count) {
    throw new DatasetError(`${labelFile}: label count ${labels.length} does not match image count ${images.count}`);
  }
  return { ...images, labels };
}

/**
 * Several runs in one process (the extension host, a sweep) read the same files; parsing MNIST again
 * each time would cost a second and 190 MB of garbage. Entries are keyed by path and invalidated when the
 * file's size or modification time changes. The cached arrays are shared: callers must not modify them.
 */
const cache = new Map<string, { stamp: string; value: Promise<unknown> }>();

async function cachedRead<T>(kind: string, path: string, parse: (contents: Uint8Array, file: string) => T): Promise<T> {
  const stat = await fs.stat(path).catch((err: NodeJS.ErrnoException) => {
    throw readError(path, err);
  });
  const key = `${kind}:${path}`;
  const stamp = `${stat.size}:${stat.mtimeMs}`;
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return hit.value as Promise<T>;
  const value = fs.readFile(path).then(
    (contents) => parse(contents, path),
    (err: NodeJS.ErrnoException) => {
      throw readError(path, err);
    },
  );
  cache.set(key, { stamp, value });
  // A failed read must not stick: the user may fix the file and run again.
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  return value;
}

function readError(path: string, err: NodeJS.ErrnoException): DatasetError {
  if (err.code === 'ENOENT') return new DatasetError(`${path}: no such file`);
  if (err.code === 'EISDIR') return new DatasetError(`${path}: is a folder, expected an IDX file`);
  return new DatasetError(`${path}: cannot read: ${err.message}`);
}

/** Gunzips when the contents start with the gzip magic bytes, whatever the file is called. */
function unpack(contents: Uint8Array, file: string): { data: Uint8Array; note: string } {
  if (contents.length < 2 || contents[0] !== 0x1f || contents[1] !== 0x8b) return { data: contents, note: '' };
  try {
    return { data: gunzipSync(contents), note: ' after gunzip' };
  } catch (err) {
    throw new DatasetError(`${file}: damaged gzip data (${(err as Error).message})`);
  }
}

function header(data: Uint8Array, file: string, size: number, magic: number, kind: 'image' | 'label'): DataView {
  if (data.length < size) {
    throw new DatasetError(
      `${file}: truncated: ${data.length} bytes is shorter than the ${size}-byte IDX ${kind} header`,
    );
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const found = view.getUint32(0);
  if (found !== magic) {
    const other = kind === 'image' ? LABELS_MAGIC : IMAGES_MAGIC;
    const hint = found === other ? `; it looks like an IDX ${kind === 'image' ? 'label' : 'image'} file` : '';
    throw new DatasetError(`${file}: not an IDX ${kind} file (magic ${hex(found)}; expected ${hex(magic)})${hint}`);
  }
  return view;
}

function checkLength(data: Uint8Array, file: string, note: string, expected: number, what: string): void {
  if (data.length === expected) return;
  const problem = data.length < expected ? 'truncated' : 'unexpected data after the end';
  throw new DatasetError(
    `${file}: ${problem}: header says ${what} (${expected} bytes) but the file has ${data.length} bytes${note}`,
  );
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
