import type { RealImage } from '../data/realImage';
import { imageMse } from './mse';
import { psnrFromMse } from './psnr';
import { createImageSsim } from './ssim';

/** PSNR and SSIM of one image against its clean reference. */
export interface ImageQuality {
  readonly mse: number;
  readonly psnr: number;
  readonly ssim: number;
}

function sameShape(reference: RealImage, candidate: Float32Array): void {
  if (candidate.length !== reference.pixels.length) {
    throw new RangeError(
      `${reference.name}: cannot compare ${candidate.length} values with ${reference.pixels.length}`,
    );
  }
}

/**
 * PSNR in dB with data range 1 of values in [0,1]; for colour the squared error is averaged over all three
 * channels of every pixel (colour PSNR over RGB, as the CBSD68 figures of the literature are given).
 */
export function realImagePsnr(reference: RealImage, candidate: Float32Array): number {
  sameShape(reference, candidate);
  return psnrFromMse(imageMse(reference.pixels, candidate, 0, candidate.length));
}

/** One channel of an HWC image as its own gray plane. */
function plane(pixels: Float32Array, channels: number, c: number): Float32Array {
  const out = new Float32Array(pixels.length / channels);
  for (let i = 0; i < out.length; i++) out[i] = pixels[i * channels + c];
  return out;
}

/**
 * SSIM as scikit-image computes it (ssim.ts: Gaussian window σ 1.5, data range 1); for colour the mean of
 * the three channels' SSIM, as structural_similarity(..., channel_axis=-1) does.
 */
export function realImageSsim(reference: RealImage, candidate: Float32Array): number {
  sameShape(reference, candidate);
  const ssim = createImageSsim(reference.height, reference.width);
  const { channels } = reference;
  if (channels === 1) return ssim(reference.pixels, candidate, 0);
  let total = 0;
  for (let c = 0; c < channels; c++)
    total += ssim(plane(reference.pixels, channels, c), plane(candidate, channels, c), 0);
  return total / channels;
}

export function realImageQuality(reference: RealImage, candidate: Float32Array): ImageQuality {
  sameShape(reference, candidate);
  const mse = imageMse(reference.pixels, candidate, 0, candidate.length);
  return { mse, psnr: psnrFromMse(mse), ssim: realImageSsim(reference, candidate) };
}

/** The mean of per-image figures: the standard protocol (mean PSNR over images, not PSNR of the mean error). */
export function meanQuality(rows: readonly ImageQuality[]): ImageQuality {
  if (rows.length === 0) throw new RangeError('no images to average');
  const mean = (key: keyof ImageQuality) => rows.reduce((s, r) => s + r[key], 0) / rows.length;
  return { mse: mean('mse'), psnr: mean('psnr'), ssim: mean('ssim') };
}
