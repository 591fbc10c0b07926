/** The values under the pointer, as the compare view writes them below its panes. */

/**
 * 8-bit pixels of one image as RGBA, ready for an ImageData (a gray image has R = G = B), and whether it is
 * gray (1) or colour (3): the readout and the error map read the channels that image has.
 */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly rgba: Uint8ClampedArray<ArrayBuffer>;
}

/** The channel values (0-255) of pixel (x, y). */
export function pixelValues(image: Pixels, x: number, y: number): number[] {
  const at = (y * image.width + x) * 4;
  return Array.from(image.rgba.subarray(at, at + image.channels));
}

/** RGBA of channel bytes (1: gray, 3: RGB, interleaved), opaque. */
export function toRgba(bytes: Uint8Array, channels: 1 | 3): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray((bytes.length / channels) * 4).fill(255);
  writeRgba(out, bytes, 0, channels);
  return out;
}

/**
 * Writes channel bytes into RGBA starting at channel byte `offset` of the image (alpha left as it is): gray is
 * repeated into R, G and B. `bytes` is a Uint8Array or the binary string atob returns (decoded in place, without
 * a copy); it may start or end inside a pixel. Written out per case: this runs once per byte of a photograph.
 */
export function writeRgba(rgba: Uint8ClampedArray, bytes: Uint8Array | string, offset: number, channels: 1 | 3) {
  const n = bytes.length;
  if (channels === 1) {
    let o = offset * 4;
    if (typeof bytes === 'string') {
      for (let i = 0; i < n; i++, o += 4) rgba[o] = rgba[o + 1] = rgba[o + 2] = bytes.charCodeAt(i);
    } else {
      for (let i = 0; i < n; i++, o += 4) rgba[o] = rgba[o + 1] = rgba[o + 2] = bytes[i];
    }
    return;
  }
  let pixel = Math.floor(offset / 3);
  let channel = offset % 3;
  for (let i = 0; i < n; i++) {
    rgba[pixel * 4 + channel] = typeof bytes === 'string' ? bytes.charCodeAt(i) : bytes[i];
    if (++channel === 3) {
      channel = 0;
      pixel++;
    }
  }
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
