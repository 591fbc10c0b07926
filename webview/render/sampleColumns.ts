import type { EncodedSamples } from '../../src/protocol/webviewMessages';

/** A run's sample images as labelled columns: clean | noisy | denoised, or noisy | denoised without clean ones. */
export function sampleColumns(images: EncodedSamples): { label: string; pixels: string }[] {
  return [
    ...(images.clean !== undefined ? [{ label: 'clean', pixels: images.clean }] : []),
    { label: 'noisy', pixels: images.noisy },
    { label: 'denoised', pixels: images.denoised },
  ];
}
