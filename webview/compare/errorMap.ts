/**
 * The error map |output − clean| of the compare view: per pixel the largest absolute difference over the
 * channels (so no channel's error hides in an average), in 8-bit levels, drawn through a colour scale that
 * tops out at a high percentile of the errors (a few outliers would otherwise leave the map nearly black).
 */
import type { Pixels } from './pixelReadout';

/** |a − b| per pixel, the largest over channels, 0-255. */
export function errorMagnitudes(reference: Pixels, output: Pixels): Uint8Array {
  if (reference.width !== output.width || reference.height !== output.height || reference.channels !== output.channels)
    throw new RangeError('the error map needs images of one size and channel count');
  const count = reference.width * reference.height;
  const a = reference.rgba;
  const b = output.rgba;
  const out = new Uint8Array(count);
  if (reference.channels === 1) {
    for (let i = 0, o = 0; i < count; i++, o += 4) out[i] = Math.abs(a[o] - b[o]);
  } else {
    for (let i = 0, o = 0; i < count; i++, o += 4) {
      out[i] = Math.max(Math.abs(a[o] - b[o]), Math.abs(a[o + 1] - b[o + 1]), Math.abs(a[o + 2] - b[o + 2]));
    }
  }
  return out;
}

/** Share of pixels at or below the top of the colour scale. */
const SCALE_PERCENTILE = 0.995;

/**
 * The error the colour scale's top colour stands for: the 99.5th percentile of the errors (from a 256-bin
 * histogram, one pass), at least 1 so an exact match still has a scale; errors above it show the top colour.
 */
export function errorScaleTop(errors: Uint8Array): number {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < errors.length; i++) histogram[errors[i]]++;
  const wanted = Math.ceil(errors.length * SCALE_PERCENTILE);
  let seen = 0;
  for (let level = 0; level < 256; level++) {
    seen += histogram[level];
    if (seen >= wanted) return Math.max(1, level);
  }
  return 255;
}

/**
 * Stops of the colour scale, black through purple, red and orange to pale yellow (close to matplotlib's
 * "inferno"): brightness rises steadily, so it reads in gray print and for colour-blind viewers alike, and
 * zero error is black on any theme.
 */
const STOPS: readonly (readonly [number, number, number])[] = [
  [0, 0, 4],
  [87, 16, 110],
  [188, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];

/** The scale's colour at t in [0, 1]. */
export function scaleColour(t: number): [number, number, number] {
  const position = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(position));
  const f = position - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as [number, number, number];
}

/** RGBA pixels of the error map, for an ImageData: errors of `top` and above take the top colour. */
export function errorMapRgba(errors: Uint8Array, top: number): Uint8ClampedArray<ArrayBuffer> {
  const lut = new Uint8Array(256 * 3);
  for (let level = 0; level < 256; level++) lut.set(scaleColour(level / top), level * 3);
  const out = new Uint8ClampedArray(errors.length * 4);
  for (let i = 0, o = 0; i < errors.length; i++, o += 4) {
    const l = errors[i] * 3;
    out[o] = lut[l];
    out[o + 1] = lut[l + 1];
    out[o + 2] = lut[l + 2];
    out[o + 3] = 255;
  }
  return out;
}
