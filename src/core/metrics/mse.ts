/** Mean squared pixel error of one image: the `size` pixels starting at `offset` in both buffers. */
export function imageMse(reference: Float32Array, candidate: Float32Array, offset: number, size: number): number {
  let sum = 0;
  for (let i = offset; i < offset + size; i++) {
    const d = reference[i] - candidate[i];
    sum += d * d;
  }
  return sum / size;
}
