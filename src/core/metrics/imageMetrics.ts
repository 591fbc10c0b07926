import { pixelsPerImage, type ImageSet } from '../data/imageSet';
import { imageMse } from './mse';
import { psnrFromMse } from './psnr';
import { createImageSsim } from './ssim';

/** Image quality of a set against its reference, each figure computed per image and averaged over images. */
export interface ImageMetrics {
  /** Mean squared pixel error. */
  readonly mse: number;
  /** Peak signal-to-noise ratio in dB (data range 1); an exact image counts as PSNR_CAP_DB. */
  readonly psnr: number;
  /** Mean structural similarity, 1 for identical images. */
  readonly ssim: number;
  readonly count: number;
}

/**
 * MSE, PSNR and SSIM of `candidate` (noisy or denoised images) against `reference` (the clean ones), image
 * by image in one pass. PSNR is the mean of the per-image PSNRs (as when averaging scikit-image's per-image
 * scores), not the PSNR of the mean MSE.
 */
export function imageMetrics(reference: ImageSet, candidate: ImageSet): ImageMetrics {
  if (
    reference.count !== candidate.count ||
    reference.height !== candidate.height ||
    reference.width !== candidate.width
  ) {
    throw new RangeError(
      `cannot compare ${candidate.count} images of ${candidate.width}x${candidate.height} ` +
        `with ${reference.count} reference images of ${reference.width}x${reference.height}`,
    );
  }
  if (reference.count === 0) throw new RangeError('no images to compare');
  const size = pixelsPerImage(reference);
  const ssimOf = createImageSsim(reference.height, reference.width);
  let mse = 0;
  let psnr = 0;
  let ssim = 0;
  for (let offset = 0; offset < reference.pixels.length; offset += size) {
    const imageError = imageMse(reference.pixels, candidate.pixels, offset, size);
    mse += imageError;
    psnr += psnrFromMse(imageError);
    ssim += ssimOf(reference.pixels, candidate.pixels, offset);
  }
  const n = reference.count;
  return { mse: mse / n, psnr: psnr / n, ssim: ssim / n, count: n };
}
