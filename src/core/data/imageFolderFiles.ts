import * as path from 'node:path';
import type { Dataset } from '../config/experimentConfig.generated';
import { SeededRandom } from '../random/seededRandom';
import { DatasetError } from './datasetError';
import { listFolderFiles } from './folderFiles';
import { inputPath } from './datasetPaths';
import { IMAGE_FORMATS } from './decodeImageFile';

/** One image file of a split: its absolute path and its name (the path relative to its folder, with '/'). */
export interface ImageEntry {
  readonly file: string;
  readonly name: string;
}

export interface ImageFolderFiles {
  readonly name: string;
  readonly train: readonly ImageEntry[];
  readonly val: readonly ImageEntry[];
  readonly test: readonly ImageEntry[];
}

const READABLE = new Set(Object.values(IMAGE_FORMATS).flat());
/**
 * Endings of image formats sharp cannot read or Denoise Lab does not take (animation, vector, camera raw,
 * HDR): such a file in a folder is refused rather than silently left out of the data. Other files (notes,
 * sidecars such as .xmp or .json) are not images and are skipped.
 */
const UNSUPPORTED = new Set([
  '.gif',
  '.bmp',
  '.heic',
  '.heif',
  '.avif',
  '.svg',
  '.jp2',
  '.j2k',
  '.jxl',
  '.ppm',
  '.pgm',
  '.pbm',
  '.pnm',
  '.ico',
  '.psd',
  '.exr',
  '.hdr',
  '.dng',
  '.cr2',
  '.cr3',
  '.nef',
  '.arw',
  '.orf',
  '.rw2',
  '.raf',
]);

/**
 * The image files under `folder` (any depth), sorted by their relative path with plain code-unit order
 * (not the locale's), so a seeded split is the same on every machine. Hidden names (".git", macOS "._x")
 * are skipped; a file of an unsupported image format is refused with its name.
 */
export async function listImageFiles(folder: string): Promise<ImageEntry[]> {
  const found = await listFolderFiles(folder, (child) => {
    const ending = path.extname(child).toLowerCase();
    if (UNSUPPORTED.has(ending)) {
      throw new DatasetError(
        `${path.join(folder, child)}: unsupported image format (${ending}); Denoise Lab reads PNG, JPEG, TIFF ` +
          'and WebP: convert the file or move it out of the folder',
      );
    }
    return READABLE.has(ending);
  });
  return found.map((name) => ({ file: path.join(folder, name), name }));
}

const ENDINGS = [...READABLE].join(', ');

async function folderImages(dataset: Dataset, field: 'trainFolder' | 'valFolder' | 'testFolder', baseDir: string) {
  const folder = await inputPath(dataset, field, baseDir, 'folder');
  if (folder === undefined) return undefined;
  const files = await listImageFiles(folder);
  if (files.length === 0)
    throw new DatasetError(`dataset.${field}: no images (${ENDINGS}) in ${folder} (searched recursively)`);
  return { folder, files };
}

/** At least one image for a held-out share, and never all of them. */
function heldOut(available: number, fraction: number): number {
  return Math.min(available - 1, Math.max(1, Math.round(available * fraction)));
}

/**
 * The files of each split: trainFolder for training, valFolder and testFolder where given, otherwise a share
 * of trainFolder's images (testFraction, then valFraction of the rest) drawn with dataset.splitSeed.
 */
export async function imageFolderFiles(dataset: Dataset, baseDir: string): Promise<ImageFolderFiles> {
  const train = await folderImages(dataset, 'trainFolder', baseDir);
  if (!train) throw new DatasetError("dataset.trainFolder is required when dataset.source is 'imageFolder'");
  const val = await folderImages(dataset, 'valFolder', baseDir);
  const test = await folderImages(dataset, 'testFolder', baseDir);
  const needed = 1 + (val ? 0 : 1) + (test ? 0 : 1);
  if (train.files.length < needed) {
    const missing = [test ? '' : 'dataset.testFolder', val ? '' : 'dataset.valFolder'].filter(Boolean).join(' and ');
    throw new DatasetError(
      `dataset.trainFolder: ${train.folder} holds ${train.files.length} image(s), too few to also hold out ` +
        `validation and test images; add images or give ${missing}`,
    );
  }
  const order = new SeededRandom(dataset.splitSeed).permutation(train.files.length);
  let pool = Array.from(order, (i) => train.files[i]);
  const take = (n: number) => {
    const taken = pool.slice(0, n);
    pool = pool.slice(n);
    return taken;
  };
  // Test first, so that adding a valFolder does not change which images are tested.
  const testFiles = test ? test.files : take(heldOut(pool.length - (val ? 0 : 1), dataset.testFraction));
  const valFiles = val ? val.files : take(heldOut(pool.length, dataset.valFraction));
  // Back in name order: the training images' order does not matter, but a listing in order is easier to read.
  const byName = (a: ImageEntry, b: ImageEntry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const trainFiles = [...pool].sort(byName);
  const label = (folder: string) => path.basename(folder);
  const parts = [`${label(train.folder)} (${trainFiles.length} train)`];
  parts.push(val ? `${label(val.folder)} (${valFiles.length} validation)` : `${valFiles.length} validation held out`);
  parts.push(test ? `${label(test.folder)} (${testFiles.length} test)` : `${testFiles.length} test held out`);
  return {
    name: `image folder ${parts.join(', ')}`,
    train: trainFiles,
    val: [...valFiles].sort(byName),
    test: [...testFiles].sort(byName),
  };
}
