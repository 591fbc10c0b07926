/**
 * Makes the sample images that ship in media/samples/ for a first try of *Denoise Image…* and
 * `denoise apply`: a test chart drawn by the project (edges, fine stripes, smooth gradients, small dots:
 * what a denoiser keeps or smears), gray and colour, each clean and with Gaussian noise σ 25 (0-255 scale,
 * seeded, clipped and quantized to 8 bits like a real noisy file). Drawn from SVG here, so no photograph's
 * licence is involved. Rerun: node --import tsx scripts/make-sample-images.ts
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { addGaussian255Noise } from '../src/core/noise/gaussian255Noise';
import { SeededRandom } from '../src/core/random/seededRandom';

const WIDTH = 320;
const HEIGHT = 240;
const SIGMA = 25;
const out = resolve(__dirname, '..', 'media', 'samples');

function chart(colour: boolean): string {
  const ink = (c: string, g: string) => (colour ? c : g);
  const stripes = Array.from({ length: 12 }, (_, i) => {
    const w = 1 + Math.floor(i / 3);
    return `<rect x="${200 + i * 2 * w}" y="20" width="${w}" height="90" fill="#111"/>`;
  }).join('');
  const dots = Array.from({ length: 30 }, (_, i) => {
    const x = 20 + (i % 10) * 16;
    const y = 170 + Math.floor(i / 10) * 18;
    return `<circle cx="${x}" cy="${y}" r="${1 + (i % 5)}" fill="${ink(['#c33', '#3a3', '#36c'][i % 3], '#222')}"/>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="${ink('#f4d58d', '#e0e0e0')}"/>
      <stop offset="1" stop-color="${ink('#3d6a9e', '#505050')}"/>
    </linearGradient>
    <radialGradient id="ball"><stop offset="0" stop-color="${ink('#ffffff', '#ffffff')}"/>
      <stop offset="1" stop-color="${ink('#b03a2e', '#404040')}"/></radialGradient>
  </defs>
  <rect width="100%" height="100%" fill="url(#sky)"/>
  <rect x="20" y="20" width="70" height="70" fill="${ink('#2e7d32', '#303030')}"/>
  <circle cx="140" cy="60" r="38" fill="url(#ball)"/>
  <polygon points="20,150 90,100 160,150" fill="${ink('#6a1b9a', '#707070')}"/>
  ${stripes}
  <path d="M190 140 Q 240 100 300 160 T 300 220" stroke="${ink('#0d47a1', '#101010')}" stroke-width="3" fill="none"/>
  ${dots}
  <rect x="200" y="170" width="100" height="50" fill="none" stroke="#fff" stroke-width="1"/>
</svg>`;
}

async function write(name: string, colour: boolean): Promise<void> {
  const channels = colour ? 3 : 1;
  const base = sharp(Buffer.from(chart(colour))).removeAlpha();
  const clean = await (colour ? base : base.grayscale()).raw().toBuffer();
  if (clean.length !== WIDTH * HEIGHT * channels) throw new Error(`${name}: drew ${clean.length} bytes`);
  const pixels = Float32Array.from(clean, (v) => v / 255);
  addGaussian255Noise(pixels, SIGMA, new SeededRandom(colour ? 2 : 1));
  const noisy = Buffer.from(pixels.map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255)));
  const raw = { raw: { width: WIDTH, height: HEIGHT, channels } } as const;
  await sharp(clean, raw)
    .toColourspace(colour ? 'srgb' : 'b-w')
    .png({ compressionLevel: 9 })
    .toFile(join(out, `${name}-clean.png`));
  await sharp(noisy, raw)
    .toColourspace(colour ? 'srgb' : 'b-w')
    .png({ compressionLevel: 9 })
    .toFile(join(out, `${name}-noisy-sigma${SIGMA}.png`));
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  await write('chart-gray', false);
  await write('chart-colour', true);
  console.log(`sample images written to ${out}`);
}

void main();
