import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { firstImages, type ImageSet } from '../data/imageSet';
import { renderImageGrid } from '../images/imageGrid';
import type { SampleImages } from '../training/events';
import { writeFileAtomic } from '../files/atomicWrite';

/** Pixels in [0,1] to 0-255 bytes: a quarter of the size of floats for messages and PNGs alike. */
export function toBytes(pixels: Float32Array): Uint8Array {
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
  return out;
}

export function fromBytes(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 255;
  return out;
}

export function makeSampleImages(clean: ImageSet, noisy: ImageSet, denoised: ImageSet, count: number): SampleImages {
  const pick = (set: ImageSet) => toBytes(firstImages(set, count).pixels);
  const n = Math.min(count, clean.count);
  return {
    count: n,
    height: clean.height,
    width: clean.width,
    clean: pick(clean),
    noisy: pick(noisy),
    denoised: pick(denoised),
  };
}

/** Writes the clean | noisy | denoised grid of sample images as a PNG (noisy | denoised without clean ones). */
export function writeSampleGrid(path: string, samples: SampleImages): void {
  const set = (bytes: Uint8Array): ImageSet => ({
    pixels: fromBytes(bytes),
    count: samples.count,
    height: samples.height,
    width: samples.width,
  });
  const { png } = renderImageGrid([
    ...(samples.clean ? [{ title: 'clean', images: set(samples.clean) }] : []),
    { title: 'noisy', images: set(samples.noisy) },
    { title: 'denoised', images: set(samples.denoised) },
  ]);
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, png);
}
