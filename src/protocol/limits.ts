/**
 * Every bound a received message must respect, read by the message schemas (and nowhere else). They are far
 * above what a real run sends (the experiment schema caps sample images at 64 and image sides at 256), so
 * they only ever stop a corrupt or hostile message before it costs the receiver memory or time.
 */
export const LIMITS = {
  /** File paths (config files, run folders). */
  path: 4096,
  /** Names, labels, short descriptions, timestamps, message types. */
  label: 500,
  /** Messages, hints, log lines, problem lists joined up. */
  text: 20_000,
  /** The unsaved text of an experiment file sent for a noise preview. */
  configText: 1_000_000,
  /** A live run's id, as the host makes it up. */
  runId: 100,
  /** `PATH=VALUE` overrides in one start request. */
  overrides: 200,
  /** Config problems in one error. */
  problems: 500,
  /** Images in one sample or preview set. */
  images: 64,
  /** Height or width of one image, in pixels. */
  side: 256,
  /** Columns of a noise preview: clean, up to 16 noise steps, combined. */
  previewColumns: 18,
  /** Runs listed or compared in one message. */
  runs: 1000,
  /** Epochs of one run's curve. */
  epochs: 10_000,
  /** An epoch number or epoch count a trainer reports. */
  epochNumber: 1_000_000,
  /** Counts and indices (batches, training images, protocol versions). */
  count: Number.MAX_SAFE_INTEGER,
  /** BLAS or engine threads. */
  threads: 1024,
  /** A learning rate, in the experiment schema's range. */
  learningRate: { minimum: 0, maximum: 100 },
  /** Structural similarity. */
  ssim: { minimum: -1, maximum: 1 },
  /** Shares, such as the readability of test digits. */
  fraction: { minimum: 0, maximum: 1 },
  /** Rows of a summary's comparison table: noisy input, model, post-processing, the classical baselines. */
  comparisonRows: 16,
  /** Files and folders named in one apply request. */
  applyInputs: 10_000,
  /** Files one apply writes (a folder of images). */
  applyFiles: 100_000,
  /** Engine notes and similar short lists. */
  notes: 50,
  /** Images in one image compare view (webview/compare): clean, noisy and up to two outputs. */
  compareImages: 4,
  /** Width or height of one compared image: photographs, far above 256 (the side of a run's sample digits). */
  compareSide: 65_535,
  /** Pixels of one compared image: 100 megapixels, the largest image a dataset or `denoise apply` reads. */
  comparePixels: 100_000_000,
  /** Base64 characters of one chunk of compared pixels: 4 MiB of text, 3 MiB of pixels. */
  compareChunk: 4 * 1024 * 1024,
} as const;

/** Bytes of one image set at its largest: LIMITS.images images of LIMITS.side × LIMITS.side pixels. */
export const MAX_IMAGE_BYTES = LIMITS.images * LIMITS.side * LIMITS.side;

/** Characters of the base64 text of MAX_IMAGE_BYTES bytes. */
export const MAX_IMAGE_BASE64 = Math.ceil(MAX_IMAGE_BYTES / 3) * 4;
