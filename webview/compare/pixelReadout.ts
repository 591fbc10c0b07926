/** The values under the pointer, as the compare view writes them below its panes. */

/** 8-bit pixels of one image, channels interleaved (1: gray, 3: RGB). */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly pixels: Uint8Array;
}

/** The channel values (0-255) of pixel (x, y). */
export function pixelValues(image: Pixels, x: number, y: number): number[] {
  const at = (y * image.width + x) * image.channels;
  return Array.from(image.pixels.subarray(at, at + image.channels));
}

/** "128" for gray, "R 12 G 34 B 56" for colour. */
export function formatValues(values: readonly number[]): string {
  return values.length === 1 ? String(values[0]) : `R ${values[0]} G ${values[1]} B ${values[2]}`;
}

/**
 * One line for the pixel under the pointer across every image: "x 12, y 40 · clean 128 · noisy 140 · denoised
 * 131", with "|denoised − clean| 3" for each image that has an error map when the error map is on.
 */
export function readoutLine(
  images: readonly (Pixels & { readonly label: string })[],
  x: number,
  y: number,
  errors: readonly { readonly label: string; readonly values: Uint8Array }[] = [],
): string {
  const parts = [
    `x ${x}, y ${y}`,
    ...images.map((image) => `${image.label} ${formatValues(pixelValues(image, x, y))}`),
  ];
  const width = images[0]?.width ?? 0;
  for (const error of errors) parts.push(`${error.label} ${error.values[y * width + x]}`);
  return parts.join(' · ');
}
