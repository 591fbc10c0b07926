/** Pixels clamped to [0,1] in place (a filter such as the notch can overshoot a little). */
export function clipPixels(pixels: Float32Array): Float32Array {
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.min(1, Math.max(0, pixels[i]));
  return pixels;
}
