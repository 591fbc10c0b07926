/** The bit pattern of 1.0 as a float32. */
const ONE_BITS = 0x3f800000;

/**
 * Clamps every pixel to [0,1] in place; each noise step ends with this so the next step sees a valid image.
 *
 * Works on the float32 bit patterns without branches: on MNIST most pixels are 0 and Gaussian noise sends
 * about half of them below 0 at random, so a compare-and-branch clamp mispredicts constantly and doubled
 * the cost of a Gaussian step. A set sign bit (a negative value, or -0) becomes +0; for non-negative
 * floats the bit patterns order like the values, so an integer minimum with the pattern of 1 caps at 1.
 */
export function clipToUnitRange(pixels: Float32Array): void {
  const bits = new Int32Array(pixels.buffer, pixels.byteOffset, pixels.length);
  for (let i = 0; i < bits.length; i++) {
    const nonNegative = bits[i] & ~(bits[i] >> 31);
    const overOne = nonNegative - ONE_BITS;
    bits[i] = ONE_BITS + (overOne & (overOne >> 31));
  }
}
