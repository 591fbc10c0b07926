import { DatasetError } from './datasetError';

/** Largest pixel array a dataset may allocate: beyond this the process would likely run out of memory. */
export const MAX_PIXEL_BYTES = 4 * 1024 ** 3;

/**
 * Refuses, before anything is allocated, a set of images whose 32-bit float pixels would exceed
 * MAX_PIXEL_BYTES, with the estimate in the message. `what` says what is being loaded and how to shrink it.
 */
export function assertPixelBudget(images: number, height: number, width: number, what: string): void {
  const bytes = images * height * width * Float32Array.BYTES_PER_ELEMENT;
  if (bytes <= MAX_PIXEL_BYTES) return;
  const gib = (bytes / 1024 ** 3).toFixed(1);
  throw new DatasetError(
    `${what}: ${images} images of ${height}x${width} would need ${gib} GiB as 32-bit floats, ` +
      `more than the ${MAX_PIXEL_BYTES / 1024 ** 3} GiB limit`,
  );
}
