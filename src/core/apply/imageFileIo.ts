import { DatasetError } from '../data/datasetError';
import { decodeImageSamples, readImageHeader, type ImageHeader, type ImageSamples } from '../data/decodeImageFile';
import { writeFileAtomic } from '../files/atomicWrite';
import { loadSharp } from '../images/loadSharp';

/** An input file read for a model: its samples and how to write the result back the same way. */
export interface InputImage {
  readonly image: ImageSamples;
  readonly header: ImageHeader;
  /** Read as gray from an RGB file of equal channels (see checkInputImage): to be written back as RGB. */
  readonly grayAsRgb: boolean;
}

/**
 * The colour channels a file holds (alpha not counted): 1 for gray, 3 for colour (CMYK included), from its checked
 * header; a file that is neither is refused there with its name (readImageHeader).
 */
export async function fileChannels(file: string): Promise<1 | 3> {
  return (await readImageHeader(file)).channels;
}

/** A file checked for a model: its header, and whether it is RGB whose three channels are equal everywhere. */
export interface CheckedInput {
  readonly header: ImageHeader;
  /** An RGB file of gray content for a gray model: denoised as gray and written back as RGB. */
  readonly grayAsRgb: boolean;
}

/** Whether every pixel of an RGB image has equal red, green and blue. */
function channelsEqual(rgb: ImageSamples): boolean {
  const p = rgb.samples;
  for (let i = 0; i < p.length; i += 3) if (p[i] !== p[i + 1] || p[i] !== p[i + 2]) return false;
  return true;
}

/**
 * Reads the header of `file` for a model taking `channels` channels. A gray model takes an RGB file whose three
 * channels are equal (a gray picture saved as RGB, as many tools do): nothing is lost, and the result is written
 * back as RGB. Any other colour file for a gray model (or a gray one for a colour model) is refused: converting
 * it silently would write a result unlike the input.
 */
export async function checkInputImage(file: string, channels: 1 | 3): Promise<CheckedInput> {
  const header = await readImageHeader(file);
  const has = header.channels;
  if (has === channels) return { header, grayAsRgb: false };
  const what = (n: number) => (n === 1 ? 'gray (1 channel)' : `colour (${n} channels)`);
  if (has === 3 && channels === 1) {
    if (channelsEqual(await decodeImageSamples(header, 3, file))) return { header, grayAsRgb: true };
    throw new DatasetError(
      `${file}: the image is colour (3 channels, not all equal) but the model takes gray (1 channel) images; ` +
        'use a run trained with dataset.channels 3',
    );
  }
  throw new DatasetError(
    `${file}: the image is ${what(has)} but the model takes ${what(channels)} images; ` +
      `use a run trained with dataset.channels ${has === 1 ? 1 : 3}`,
  );
}

/** Checks `file` (see checkInputImage) and decodes it at full resolution, in the model's channels. */
export async function readInputImage(file: string, name: string, channels: 1 | 3): Promise<InputImage> {
  const { header, grayAsRgb } = await checkInputImage(file, channels);
  return { image: await decodeImageSamples(header, channels, name), header, grayAsRgb };
}

/**
 * Encodes samples in the input's format and bit depth (16-bit PNG and TIFF stay 16-bit); `asRgb` writes a gray
 * result as RGB of three equal channels, as its input was.
 */
export async function encodeLike(header: ImageHeader, image: ImageSamples, asRgb = false): Promise<Buffer> {
  const { samples, width, height, channels } = image;
  // A Uint16Array is taken as 16-bit samples: sharp reads the depth from the array's type.
  let encoder = loadSharp()(samples, { raw: { width, height, channels } });
  if (header.sixteenBit) encoder = encoder.toColourspace(channels === 1 && !asRgb ? 'grey16' : 'rgb16');
  else encoder = encoder.toColourspace(channels === 1 && !asRgb ? 'b-w' : 'srgb');
  switch (header.format) {
    case 'png':
      return encoder.png().toBuffer();
    case 'jpeg':
      return encoder.jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer();
    case 'tiff':
      return encoder.tiff({ compression: 'lzw' }).toBuffer();
    case 'webp':
      return encoder.webp({ lossless: true }).toBuffer();
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
  image: ImageSamples,
  asRgb = false,
  beforeWrite: () => void = () => {},
): Promise<void> {
  const bytes = await encodeLike(header, image, asRgb);
  beforeWrite();
  writeFileAtomic(path, bytes);
}
