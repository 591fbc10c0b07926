/**
 * A run's sample digits (count small images) as one image for the compare view: laid out in a near-square
 * grid with a one-pixel black gap, the same layout for every column so the error map lines them up.
 */
export interface Montage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

const GAP = 1;

export function montage(count: number, height: number, width: number, bytes: Uint8Array): Montage {
  const columns = Math.max(1, Math.ceil(Math.sqrt(count)));
  const rows = Math.max(1, Math.ceil(count / columns));
  const outWidth = columns * width + (columns - 1) * GAP;
  const outHeight = rows * height + (rows - 1) * GAP;
  const pixels = new Uint8Array(outWidth * outHeight);
  for (let k = 0; k < count; k++) {
    const x0 = (k % columns) * (width + GAP);
    const y0 = Math.floor(k / columns) * (height + GAP);
    for (let y = 0; y < height; y++) {
      const from = k * width * height + y * width;
      pixels.set(bytes.subarray(from, from + width), (y0 + y) * outWidth + x0);
    }
  }
  return { width: outWidth, height: outHeight, pixels };
}
