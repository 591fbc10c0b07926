import { basename } from 'node:path';
import { samplesBytes, type ImageHeader } from '../data/decodeImageFile';
import { InputError } from '../errors/inputError';
import { formatCount } from '../models/layerHelpers';

const MB = 2 ** 20;

/** The side of the smallest tile core apply plans: below it the overlap costs more than the tile's own pixels. */
export const MIN_TILE = 256;

/** How `denoise apply` spends its memory: the budget, what is left for a tile's network pass, and why. */
export interface ApplyMemory {
  /** Megabytes for the tiles' network passes (planTiles' budget). */
  readonly tileMb: number;
  /** One line for the log: the budget and its parts. */
  readonly note: string;
}

/**
 * Splits apply's memory budget, the whole process's: what it holds already (engine, model, libraries), the
 * largest file's samples held once (sampleTiles.ts) with its encoded result, and the rest for one tile's network
 * pass. A budget the user gave is kept: when no tile of MIN_TILE fits in it, the file is refused with the budget
 * it needs. The default budget is raised to what the largest file needs, and the note says so.
 */
export function splitApplyMemory(options: {
  readonly requestedMb: number | undefined;
  readonly defaultMb: number;
  /** Resident memory now, with the engine started and the model loaded. */
  readonly residentBytes: number;
  readonly headers: readonly ImageHeader[];
  readonly channels: 1 | 3;
  /** Megabytes one tile of MIN_TILE needs with its overlap. */
  readonly minTileMb: number;
}): ApplyMemory {
  const { headers, channels } = options;
  const fileBytes = (h: ImageHeader) => 2 * samplesBytes(h, channels);
  const largest = headers.reduce((a, b) => (fileBytes(b) > fileBytes(a) ? b : a));
  const residentMb = Math.ceil(options.residentBytes / MB);
  const fileMb = Math.ceil(fileBytes(largest) / MB);
  const neededMb = residentMb + fileMb + Math.ceil(options.minTileMb);
  const what = `${basename(largest.file)} (${largest.width}x${largest.height}, ${channels === 1 ? 'gray' : 'colour'}, ${largest.sixteenBit ? 16 : 8}-bit)`;
  const budgetMb = options.requestedMb ?? Math.max(options.defaultMb, neededMb);
  if (budgetMb < neededMb)
    throw new InputError(
      `${largest.file}: --memory-mb ${formatCount(budgetMb)} is too little: the engine and model hold ${formatCount(residentMb)} MB, ` +
        `the image's samples and its result ${formatCount(fileMb)} MB, and a ${MIN_TILE} px tile needs ` +
        `${formatCount(Math.ceil(options.minTileMb))} MB; give at least --memory-mb ${formatCount(neededMb)}`,
    );
  const raised =
    budgetMb > options.defaultMb && options.requestedMb === undefined
      ? ` (the default ${formatCount(options.defaultMb)} MB raised for ${what})`
      : '';
  const tileMb = budgetMb - residentMb - fileMb;
  return {
    tileMb,
    note:
      `memory ${formatCount(budgetMb)} MB${raised}: ${formatCount(residentMb)} MB engine and model, ` +
      `${formatCount(fileMb)} MB for the largest image's samples and result, ${formatCount(tileMb)} MB for tiles`,
  };
}
