import type { RealImage } from '../data/realImage';
import { applyBaseline, type BaselineName } from './baselines';

/**
 * One classical filter on one whole image of any size, colour included: each channel is filtered as a gray
 * image of its own (the filters are written for gray sets), then the channels are put back together.
 */
export function filterImage(name: BaselineName, noisy: RealImage): Float32Array {
  const { height, width, channels } = noisy;
  const size = height * width;
  const planes = new Float32Array(size * channels);
  for (let i = 0; i < size; i++) for (let c = 0; c < channels; c++) planes[c * size + i] = noisy.pixels[i * channels + c];
  const filtered = applyBaseline(name, { pixels: planes, count: channels, height, width }).pixels;
  const out = new Float32Array(size * channels);
  for (let i = 0; i < size; i++) for (let c = 0; c < channels; c++) out[i * channels + c] = filtered[c * size + i];
  return out;
}
