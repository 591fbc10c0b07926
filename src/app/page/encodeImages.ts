import type { SampleImages } from '../../core/training/events';
import { encodeBase64 } from '../../protocol/base64';
import type { EncodedImages, EncodedSamples } from '../../protocol/webviewMessages';

/** Same-sized gray images as 0-255 bytes, image after image. */
export interface ImageBytes {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly bytes: Uint8Array;
}

export function encodeImages(images: ImageBytes): EncodedImages {
  return { count: images.count, height: images.height, width: images.width, pixels: encodeBase64(images.bytes) };
}

/** A run's clean | noisy | denoised sample images as the page receives them (no clean ones for Noise2Void). */
export function encodeSamples(images: SampleImages): EncodedSamples {
  return {
    count: images.count,
    height: images.height,
    width: images.width,
    ...(images.clean ? { clean: encodeBase64(images.clean) } : {}),
    noisy: encodeBase64(images.noisy),
    denoised: encodeBase64(images.denoised),
  };
}
