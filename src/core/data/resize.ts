/**
 * Resizes a grayscale image (row-major, one float per pixel) to dstWidth x dstHeight, stretching if the
 * aspect ratio differs. Each axis is resampled on its own (both filters are separable): area averaging
 * where that axis shrinks, so every source pixel counts and fine detail does not alias, and bilinear
 * interpolation where it grows or keeps its size (then it is an exact copy).
 */
export function resizeGray(
  src: Float32Array,
  srcWidth: number,
  srcHeight: number,
  dstWidth: number,
  dstHeight: number,
): Float32Array {
  if (src.length !== srcWidth * srcHeight) {
    throw new RangeError(`expected ${srcWidth * srcHeight} pixels for ${srcWidth}x${srcHeight}, got ${src.length}`);
  }
  const across = axisTaps(srcWidth, dstWidth);
  const down = axisTaps(srcHeight, dstHeight);
  const rows = new Float32Array(srcHeight * dstWidth);
  for (let y = 0; y < srcHeight; y++) {
    for (let x = 0; x < dstWidth; x++) {
      const { index, weight } = across[x];
      let sum = 0;
      for (let t = 0; t < index.length; t++) sum += weight[t] * src[y * srcWidth + index[t]];
      rows[y * dstWidth + x] = sum;
    }
  }
  const dst = new Float32Array(dstHeight * dstWidth);
  for (let y = 0; y < dstHeight; y++) {
    const { index, weight } = down[y];
    for (let x = 0; x < dstWidth; x++) {
      let sum = 0;
      for (let t = 0; t < index.length; t++) sum += weight[t] * rows[index[t] * dstWidth + x];
      dst[y * dstWidth + x] = sum;
    }
  }
  return dst;
}

/** For each output position along one axis: the source positions it reads and their weights (summing to 1). */
interface Taps {
  readonly index: number[];
  readonly weight: number[];
}

function axisTaps(srcLen: number, dstLen: number): Taps[] {
  const scale = srcLen / dstLen;
  const taps: Taps[] = [];
  for (let i = 0; i < dstLen; i++) {
    if (scale > 1) {
      // Output pixel i covers source span [from, to); pixels cut by its edges count by their overlap.
      const from = i * scale;
      const to = Math.min(from + scale, srcLen);
      const index: number[] = [];
      const weight: number[] = [];
      for (let s = Math.floor(from); s < to; s++) {
        const overlap = Math.min(to, s + 1) - Math.max(from, s);
        if (overlap > 1e-9) {
          index.push(s);
          weight.push(overlap / (to - from));
        }
      }
      taps.push({ index, weight });
    } else {
      // Pixel centres aligned (half-pixel offset), clamped at the borders.
      const x = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), srcLen - 1);
      const s0 = Math.floor(x);
      const f = x - s0;
      taps.push({ index: [s0, Math.min(s0 + 1, srcLen - 1)], weight: [1 - f, f] });
    }
  }
  return taps;
}
