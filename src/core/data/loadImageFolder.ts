import type { Dataset } from '../config/experimentConfig.generated';
import { DatasetError } from './datasetError';
import { decodeImageFile, decodeResizedGray, readImageHeader, type ImageHeader } from './decodeImageFile';
import { imageFolderFiles, type ImageEntry } from './imageFolderFiles';
import type { DatasetSplits, ImageSet } from './imageSet';
import type { RealImage, RealImageSplits } from './realImage';

const MIB = 1024 ** 2;

interface HeadedEntry extends ImageEntry {
  readonly header: ImageHeader;
}

async function readHeaders(entries: readonly ImageEntry[]): Promise<HeadedEntry[]> {
  const out: HeadedEntry[] = [];
  for (const entry of entries) out.push({ ...entry, header: await readImageHeader(entry.file) });
  return out;
}

/**
 * Refuses, before anything is decoded, images whose 32-bit float pixels would take more than
 * dataset.memoryBudgetMB, with the estimate and the field to change.
 */
function assertImageBudget(dataset: Dataset, headers: readonly ImageHeader[], bytes: number): void {
  const budget = dataset.memoryBudgetMB * MIB;
  if (bytes <= budget) return;
  // The largest image named: when one file is the cause (a huge scan, a header that lies) it says which.
  const largest = headers.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  throw new DatasetError(
    `dataset.memoryBudgetMB: the ${headers.length} images of the dataset folders would take ${Math.ceil(bytes / MIB)} MiB ` +
      `decoded as 32-bit floats, more than dataset.memoryBudgetMB = ${dataset.memoryBudgetMB} (the largest is ` +
      `${largest.file}, ${largest.width}x${largest.height} pixels); raise dataset.memoryBudgetMB or use fewer or ` +
      'smaller images',
  );
}

/** Splits' headers, checked against the memory budget for the given bytes per pixel. */
async function checkedSplits(dataset: Dataset, baseDir: string, bytesPerImage: (h: ImageHeader) => number) {
  const files = await imageFolderFiles(dataset, baseDir);
  const [train, val, test] = [
    await readHeaders(files.train),
    await readHeaders(files.val),
    await readHeaders(files.test),
  ];
  const all = [...train, ...val, ...test];
  assertImageBudget(
    dataset,
    all.map((e) => e.header),
    all.reduce((sum, e) => sum + bytesPerImage(e.header), 0),
  );
  return { name: files.name, train, val, test };
}

/**
 * The images of an imageFolder experiment at full resolution, gray or RGB (dataset.channels), for fully
 * convolutional models. Every header is read and checked first (format, size, the memory budget), so a bad
 * folder is refused before a long decode; then each file is decoded, and a truncated or corrupt one named.
 */
export async function loadImageFolder(dataset: Dataset, baseDir: string): Promise<RealImageSplits> {
  const channels = dataset.channels === 3 ? 3 : 1;
  const splits = await checkedSplits(dataset, baseDir, (h) => h.width * h.height * channels * 4);
  const decode = async (entries: readonly HeadedEntry[]): Promise<RealImage[]> => {
    const out: RealImage[] = [];
    for (const e of entries) out.push(await decodeImageFile(e.header, channels, e.name));
    return out;
  };
  return {
    name: splits.name,
    channels,
    train: await decode(splits.train),
    val: await decode(splits.val),
    test: await decode(splits.test),
  };
}

/**
 * The same folders for a model that takes one fixed image size (dense, vae): every image gray and resized to
 * dataset.imageSize on each side, as equally sized sets.
 */
export async function loadResizedImageFolder(dataset: Dataset, baseDir: string): Promise<DatasetSplits> {
  const size = dataset.imageSize;
  const splits = await checkedSplits(dataset, baseDir, () => size * size * 4);
  const decode = async (entries: readonly HeadedEntry[]): Promise<ImageSet> => {
    const pixels = new Float32Array(entries.length * size * size);
    for (let i = 0; i < entries.length; i++)
      pixels.set(await decodeResizedGray(entries[i].header, size), i * size * size);
    return { pixels, count: entries.length, height: size, width: size };
  };
  return {
    name: `${splits.name}, resized to ${size}x${size}`,
    train: await decode(splits.train),
    val: await decode(splits.val),
    test: await decode(splits.test),
  };
}
