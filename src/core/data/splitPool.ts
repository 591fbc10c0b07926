import type { Dataset } from '../config/experimentConfig.generated';
import { DatasetError } from './datasetError';
import { selectImages, type ImageSet } from './imageSet';

type SizeField = 'trainSize' | 'valSize' | 'testSize';

/**
 * Throws unless the pool has enough images for the requested split sizes, saying how many exist and
 * which fields to lower, e.g. "dataset.trainSize + dataset.valSize = 70000 but the MNIST training file
 * has 60000 images; lower trainSize or valSize". `pool` names the source as the subject of "has".
 */
export function checkSplitSizes(
  dataset: Dataset,
  fields: readonly SizeField[],
  available: number,
  pool: string,
  alternative = '',
): void {
  const requested = fields.reduce((sum, field) => sum + dataset[field], 0);
  if (requested <= available) return;
  const lower = fields.length === 1 ? fields[0] : `${fields.slice(0, -1).join(', ')} or ${fields[fields.length - 1]}`;
  throw new DatasetError(
    `${fields.map((f) => `dataset.${f}`).join(' + ')} = ${requested} but ${pool} has ${available} images; ` +
      `lower ${lower}${alternative}`,
  );
}

/** Consecutive runs of the given sizes from the front of `order` (a seeded permutation of the pool). */
export function cutSplits(pool: ImageSet, order: Uint32Array, sizes: readonly number[]): ImageSet[] {
  let start = 0;
  return sizes.map((size) => {
    const split = selectImages(pool, order.subarray(start, start + size));
    start += size;
    return split;
  });
}
