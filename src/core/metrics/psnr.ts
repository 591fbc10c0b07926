/**
 * The PSNR given to an image that matches its reference exactly (MSE 0, which would be +∞ dB), and the
 * ceiling for all others, so that an average over images stays finite and one perfect image cannot
 * dominate it. 100 dB is an MSE of 1e-10, far below what 8-bit or float32 images can tell apart.
 */
export const PSNR_CAP_DB = 100;

/** Peak signal-to-noise ratio in dB of pixels in [0,1] (data range 1): 10·log10(1/MSE), at most PSNR_CAP_DB. */
export function psnrFromMse(mse: number): number {
  return Math.min(PSNR_CAP_DB, 10 * Math.log10(1 / mse));
}
