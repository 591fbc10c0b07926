/**
 * Upper bounds a received message must respect. They are far above what a real run sends (the schema caps
 * sample images at 64 and image sides at 256), so they only ever stop a corrupt or hostile message before
 * it costs the receiver memory or time.
 */
export const LIMITS = {
  /** File paths (config files, run folders). */
  path: 4096,
  /** Names, labels, short descriptions. */
  label: 500,
  /** Messages, hints, log lines, problem lists joined up. */
  text: 20_000,
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
  /** Engine notes and similar short lists. */
  notes: 50,
} as const;
