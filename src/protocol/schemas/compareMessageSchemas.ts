/**
 * The messages of the image compare view (webview/compare): the before/after panel sends a few large images
 * (photographs of up to LIMITS.comparePixels pixels), which would not fit one webview message as the small
 * sample images do. So the images cross in three steps: `compareImages` names them and gives their shapes,
 * `compareChunk` carries their 8-bit pixels in pieces of at most LIMITS.compareChunk base64 characters (each
 * message stays a few megabytes, and the page can assemble them into one preallocated buffer per image),
 * and `compareFigures` follows with PSNR and SSIM against the clean reference, which take longer to compute
 * than the pixels take to show.
 */
import { Type } from '@sinclair/typebox';
import { LIMITS } from '../limits';
import { Count, Finite, StringEnum, Text } from './schemaParts';

/** What an image is in a comparison: the error map is drawn against the `clean` one. */
export const COMPARE_ROLES = ['clean', 'noisy', 'denoised', 'output'] as const;

const imageIndex = () => Count(LIMITS.compareImages - 1);
const side = () => Type.Integer({ minimum: 1, maximum: LIMITS.compareSide });

/** One image of a comparison: its label and shape; its pixels follow in chunks, channels interleaved. */
export const CompareImageInfoSchema = Type.Object({
  label: Text(LIMITS.label),
  role: StringEnum(COMPARE_ROLES),
  width: side(),
  height: side(),
  /** 1: gray, 3: RGB. */
  channels: Type.Unsafe<1 | 3>({ type: 'integer', enum: [1, 3] }),
});

export const CompareMessageSchemas = [
  Type.Object({
    type: Type.Literal('compareImages'),
    title: Text(LIMITS.label),
    images: Type.Array(CompareImageInfoSchema, { minItems: 1, maxItems: LIMITS.compareImages }),
  }),
  Type.Object({
    type: Type.Literal('compareChunk'),
    image: imageIndex(),
    /** Where the chunk's bytes start in the image's width × height × channels bytes. */
    offset: Count(LIMITS.comparePixels * 3),
    /**
     * Base64, bounded by `maxUnits` (messageAjv.ts), which costs nothing on megabytes of text. Its characters are
     * checked by the page's decoder (atob refuses any outside the alphabet) rather than by a pattern here, which
     * would read each chunk's 4 MB once more before the decoder does.
     */
    pixels: Type.String({ maxUnits: LIMITS.compareChunk }),
  }),
  Type.Object({
    type: Type.Literal('compareFigures'),
    /** Each image but the clean one, against the clean one (computed on the host from the files' pixels). */
    figures: Type.Array(Type.Object({ image: imageIndex(), psnr: Finite(), ssim: Finite(LIMITS.ssim) }), {
      maxItems: LIMITS.compareImages,
    }),
  }),
  /** The host could not read the images: the page shows why instead of an empty view. */
  Type.Object({ type: Type.Literal('compareError'), message: Text(LIMITS.text) }),
];
