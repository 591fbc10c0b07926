import { DatasetError } from '../data/datasetError';
import { decodeImageFile, readImageHeader, type ImageHeader } from '../data/decodeImageFile';
import type { RealImage } from '../data/realImage';
import { writeFileAtomic } from '../files/atomicWrite';
import { loadSharp } from '../images/loadSharp';

/** An input file read for a model: its pixels in [0,1] and how to write the result back the same way. */
export interface InputImage {
  readonly image: RealImage;
  readonly header: ImageHeader;
}

/**
 * The colour channels a file holds (alpha not counted): 1 for gray, 3 for colour (CMYK included), from its checked
 * header; a file that is neither is refused there with its name (readImageHeader).
 */
export async function fileChannels(file: string): Promise<1 | 3> {
  return (await readImageHeader(file)).channels;
}

/**
 * Reads the header of `file` for a model taking `channels` channels. A colour file for a gray model (or the reverse) is
 * refused: converting it silently would write a result unlike the input.
 */
export async function checkInputImage(file: string, channels: 1 | 3): Promise<ImageHeader> {
  const header = await readImageHeader(file);
  const has = header.channels;
  if (has !== channels) {
    const what = (n: number) => (n === 1 ? 'gray (1 channel)' : `colour (${n} channels)`);
    throw new DatasetError(
      `${file}: the image is ${what(has)} but the model takes ${what(channels)} images; ` +
        `use a run trained with dataset.channels ${has === 1 ? 1 : 3}`,
    );
  }
  return header;
}

/** Checks `file` (see checkInputImage) and decodes it at full resolution. */
export async function readInputImage(file: string, name: string, channels: 1 | 3): Promise<InputImage> {
  const header = await checkInputImage(file, channels);
  return { image: await decodeImageFile(header, channels, name), header };
}

/** Encodes pixels in [0,1] in the input's format and bit depth (16-bit PNG and TIFF stay 16-bit). */
export async function encodeLike(
  header: ImageHeader,
  pixels: Float32Array,
  width: number,
  height: number,
  channels: number,
): Promise<Buffer> {
  const max = header.sixteenBit ? 65535 : 255;
  const samples = header.sixteenBit ? new Uint16Array(pixels.length) : new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) samples[i] = Math.round(Math.min(1, Math.max(0, pixels[i])) * max);
  let image = loadSharp()(samples, { raw: { width, height, channels: channels as 1 | 3 } });
  if (header.sixteenBit) image = image.toColourspace(channels === 1 ? 'grey16' : 'rgb16');
  else if (channels === 1) image = image.toColourspace('b-w');
  switch (header.format) {
    case 'png':
      return image.png().toBuffer();
    case 'jpeg':
      return image.jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer();
    case 'tiff':
      return image.tiff({ compression: 'lzw' }).toBuffer();
    case 'webp':
      return image.webp({ lossless: true }).toBuffer();
    default:
      throw new DatasetError(`${header.file}: cannot write format '${header.format}'`);
  }
}

/**
 * Writes the encoded result atomically: the output file is complete or absent, never half-written. `beforeWrite`
 * runs between encoding and writing and may throw to stop (a cancel).
 */
export async function writeOutputImage(
  path: string,
  header: ImageHeader,
  image: RealImage,
  beforeWrite: () => void = () => {},
): Promise<void> {
  const bytes = await encodeLike(header, image.pixels, image.width, image.height, image.channels);
  beforeWrite();
  writeFileAtomic(path, bytes);
}
