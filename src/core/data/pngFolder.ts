import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { decodeGrayPng, type GrayImage } from '../images/png';
import { DatasetError } from './datasetError';
import { listFolderFiles } from './folderFiles';
import type { ImageSet } from './imageSet';
import { resizeGray } from './resize';

/** Absolute paths of the .png files under `folder` (any depth), in the same order on every machine. */
export async function listPngFiles(folder: string): Promise<string[]> {
  const found = await listFolderFiles(folder, (child) => child.toLowerCase().endsWith('.png'));
  return found.map((relative) => path.join(folder, relative));
}

/**
 * Decodes the files in order as grayscale, each resized to size x size. The caller checks the pixel
 * budget first (loadDataset does, naming the fields to lower).
 */
export async function readPngImages(files: readonly string[], size: number): Promise<ImageSet> {
  const perImage = size * size;
  const pixels = new Float32Array(files.length * perImage);
  for (let i = 0; i < files.length; i++) {
    const image = decodeFile(files[i], await fs.readFile(files[i]));
    pixels.set(resizeGray(image.pixels, image.width, image.height, size, size), i * perImage);
  }
  return { pixels, count: files.length, height: size, width: size };
}

/**
 * Largest image a dataset file may declare (4096 x 4096). pngjs allocates the whole RGBA bitmap the header
 * announces before it inflates anything: a 70-byte file claiming 60000 x 60000 pixels took 7 GB of memory
 * and 19 s here before failing. Every image is shrunk to at most 256 x 256 anyway.
 */
export const MAX_PNG_PIXELS = 4096 * 4096;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function decodeFile(file: string, contents: Buffer): GrayImage {
  // The IHDR chunk comes first: signature (8), length (4), "IHDR" (4), width (4), height (4).
  if (
    contents.length >= 24 &&
    contents.subarray(0, 8).equals(PNG_SIGNATURE) &&
    contents.toString('latin1', 12, 16) === 'IHDR'
  ) {
    const width = contents.readUInt32BE(16);
    const height = contents.readUInt32BE(20);
    if (width * height > MAX_PNG_PIXELS) {
      throw new DatasetError(
        `${file}: header says ${width}x${height} pixels, more than the ${MAX_PNG_PIXELS.toLocaleString('en-US')}-pixel limit for a dataset image; refused before decoding`,
      );
    }
  }
  try {
    return decodeGrayPng(contents);
  } catch (err) {
    throw new DatasetError(`${file}: not a readable PNG image (${(err as Error).message})`);
  }
}
