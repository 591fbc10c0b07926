import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeGrayPngBytes, type GrayBytes } from '../images/png';
import { hasCleanReference } from '../config/validateConfig';
import { readRunConfig } from './listRuns';
import { runFile } from './runFiles';

/** One column of a run's image grid as 8-bit gray bytes, image after image. */
export interface GridColumnBytes {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly bytes: Uint8Array;
}

/** renderImageGrid's defaults, with which every run writes samples.png and generation.png. */
const SCALE = 2;
const GAP = 2;

/** How many cells of `side` pixels (before scaling) fit a grid length of `length` pixels, or undefined. */
function cellsAlong(length: number, side: number): number | undefined {
  const n = (length + GAP) / (side * SCALE + GAP);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Cuts column `c` of a grid back into its images (top-left pixel of each scaled cell). */
function cutColumn(grid: GrayBytes, c: number, count: number, side: number): GridColumnBytes {
  const bytes = new Uint8Array(count * side * side);
  for (let k = 0; k < count; k++) {
    const x0 = c * (side * SCALE + GAP);
    const y0 = k * (side * SCALE + GAP);
    for (let y = 0; y < side; y++) {
      const from = (y0 + y * SCALE) * grid.width + x0;
      const to = (k * side + y) * side;
      for (let x = 0; x < side; x++) bytes[to + x] = grid.bytes[from + x * SCALE];
    }
  }
  return { count, height: side, width: side, bytes };
}

/** Decodes a run's grid image; pngjs's own errors name no file, so this one does (relative to the run folder). */
function readGrid(file: string): GrayBytes {
  try {
    return decodeGrayPngBytes(readFileSync(file));
  } catch (err) {
    throw new Error(`${basename(file)}: not a readable PNG image (${(err as Error).message}); it is left out`);
  }
}

/**
 * Reads a grid PNG written by renderImageGrid back into columns of square images, knowing how many
 * columns it has. Images are square in every dataset the project reads (MNIST, IDX, resized PNG folders).
 */
export function readGridColumns(file: string, columns: number): GridColumnBytes[] {
  const grid = readGrid(file);
  const side = ((grid.width + GAP) / columns - GAP) / SCALE;
  const count = Number.isInteger(side) ? cellsAlong(grid.height, side) : undefined;
  if (!count)
    throw new Error(
      `${file}: a ${grid.width}x${grid.height} image is not a grid of ${columns} columns of square images`,
    );
  return Array.from({ length: columns }, (_, c) => cutColumn(grid, c, count, side));
}

/** A run's sample grid: clean | noisy | denoised, or noisy | denoised for a run without clean images. */
export interface SampleColumns {
  readonly clean?: GridColumnBytes;
  readonly noisy: GridColumnBytes;
  readonly denoised: GridColumnBytes;
}

/**
 * Reads a sample grid of the run (samples.png or an epoch's); its config tells whether it has a clean column,
 * which the grid's size alone cannot (2 columns of 2 rows measure as 3 columns of 3 smaller rows).
 */
export function readSampleGrid(runDir: string, file: string): SampleColumns {
  const config = readRunConfig(runDir);
  if (config && !hasCleanReference(config)) {
    const [noisy, denoised] = readGridColumns(file, 2);
    return { noisy, denoised };
  }
  const [clean, noisy, denoised] = readGridColumns(file, 3);
  return { clean, noisy, denoised };
}

/** The final samples of a run (samples.png), or undefined when it has none. */
export function readRunSamples(runDir: string): SampleColumns | undefined {
  const file = runFile(runDir, 'samples');
  if (!existsSync(file)) return undefined;
  return readSampleGrid(runDir, file);
}

/**
 * The generation experiment of a run (generation.png): input | output, plus a VAE's latent samples and its
 * interpolation between the first two sample digits.
 * `randomInputs` (config evaluation.generation.randomInputs) tells the rows: one blank input and the random ones.
 */
export function readRunGeneration(
  runDir: string,
  randomInputs: number,
): { label: string; images: GridColumnBytes }[] | undefined {
  const file = runFile(runDir, 'generation');
  if (!existsSync(file)) return undefined;
  const grid = readGrid(file);
  const rows = 1 + randomInputs;
  const side = ((grid.height + GAP) / rows - GAP) / SCALE;
  const columns = Number.isInteger(side) ? cellsAlong(grid.width, side) : undefined;
  if (!columns || columns < 2)
    throw new Error(`${file}: a ${grid.width}x${grid.height} image is not a grid of ${rows} rows of square images`);
  const labels = ['input', 'output', 'latent samples', 'interpolation'];
  return Array.from({ length: columns }, (_, c) => ({
    label: labels[c] ?? `column ${c + 1}`,
    images: cutColumn(grid, c, rows, side),
  }));
}
