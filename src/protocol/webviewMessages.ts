/**
 * The messages between the extension host and its web pages (the dashboard panel and the
 * "Reconstructions" side view). Webview messages are copied as JSON, where a Uint8Array would become an
 * object with one key per pixel, so images cross as base64 strings of 8-bit gray pixels
 * (`src/protocol/base64.ts`): a third larger than the bytes, a fraction of per-pixel JSON, and the same
 * in VS Code, code-server and a standalone HTML report.
 *
 * The page starts the conversation with `ready` (carrying WEBVIEW_PROTOCOL_VERSION); the host answers
 * with `init` and then sends whatever it has: the noise preview, the runs, live updates of runs.
 * Live updates are throttled at the source (about ten batch updates a second per run).
 *
 * The shapes, their bounds and their validators come from one definition each, in
 * schemas/webviewMessageSchemas.ts; none of them is a core type.
 */
import type { Wire } from './schemas/schemaParts';
import type { CompareImageInfoSchema } from './schemas/compareMessageSchemas';
import type {
  EncodedImagesSchema,
  EncodedInputsSchema,
  EncodedSamplesSchema,
  EpochPointSchema,
  HostToWebviewSchema,
  ImageColumnSchema,
  RUN_ENDINGS,
  RunRowSchema,
  SplitFiguresSchema,
  WEBVIEW_KINDS,
  WebviewToHostSchema,
} from './schemas/webviewMessageSchemas';

export const WEBVIEW_PROTOCOL_VERSION = 1;

/** Which page the host is talking to. */
export type WebviewKind = (typeof WEBVIEW_KINDS)[number];

/** A set of same-sized gray images: base64 of count × height × width bytes (0-255), image after image. */
export type EncodedImages = Wire<typeof EncodedImagesSchema>;

/** The fixed test images of a run, as columns clean | noisy | denoised (each base64, as in EncodedImages). */
export type EncodedSamples = Wire<typeof EncodedSamplesSchema>;

/** A run's test images without its denoised column: what runs compared on the same test set share. */
export type EncodedInputs = Wire<typeof EncodedInputsSchema>;

/** One labelled column of images (a noise step, a generation input or output). */
export type ImageColumn = Wire<typeof ImageColumnSchema>;

/** How a run ended as the host saw it: the run's own status, or an ending that left no summary. */
export type RunEnding = (typeof RUN_ENDINGS)[number];

/** One epoch of a run's curves (from its metrics.jsonl or live). */
export type EpochPoint = Wire<typeof EpochPointSchema>;

/** Final figures of one split. */
export type SplitFigures = Wire<typeof SplitFiguresSchema>;

/** One run as the run list and the comparison table show it, shaped like the seed report's table. */
export type RunRow = Wire<typeof RunRowSchema>;

/** One image of the image compare view: label, role and shape (its pixels cross in `compareChunk` messages). */
export type CompareImageInfo = Wire<typeof CompareImageInfoSchema>;

export type HostToWebview = Wire<typeof HostToWebviewSchema>;

export type WebviewToHost = Wire<typeof WebviewToHostSchema>;
