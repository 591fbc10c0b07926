/**
 * Both directions of the host ↔ webview channel (described in ../webviewMessages.ts). These shapes are the
 * page's contract and import no core type: a change to a training event does not change what a page reads.
 */
import { Type } from '@sinclair/typebox';
import { LIMITS } from '../limits';
import { RUN_STATUSES } from '../runStatuses';
import { CompareMessageSchemas } from './compareMessageSchemas';
import { Base64, Count, Finite, imageShape, Ref, StringEnum, TaggedUnion, Text } from './schemaParts';

export const WEBVIEW_KINDS = ['dashboard', 'reconstructions'] as const;

/** How a run ended as the host saw it: the run's own status, or an ending that left no summary. */
export const RUN_ENDINGS = [...RUN_STATUSES, 'cancelled', 'badInput', 'crashed'] as const;

const nonNegative = () => Finite({ minimum: 0 });
const runId = () => Text(LIMITS.runId);
const runDirs = () => Type.Array(Text(LIMITS.path), { maxItems: LIMITS.runs });

/** A set of same-sized gray images: base64 of count × height × width bytes (0-255), image after image. */
export const EncodedImagesSchema = Type.Object(
  { ...imageShape, pixels: Base64() },
  { $id: 'EncodedImages', pixelBytes: { fields: ['pixels'], encoding: 'base64' } },
);

/**
 * The fixed test images of a run, as columns clean | noisy | denoised (each base64, as in EncodedImages); no
 * clean column for a run without clean images (Noise2Void on noisy data).
 */
export const EncodedSamplesSchema = Type.Object(
  { ...imageShape, clean: Type.Optional(Base64()), noisy: Base64(), denoised: Base64() },
  { $id: 'EncodedSamples', pixelBytes: { fields: ['clean', 'noisy', 'denoised'], encoding: 'base64' } },
);

/** The test images a run's denoised column was made from: its samples without that column. */
export const EncodedInputsSchema = Type.Object(
  { ...imageShape, clean: Type.Optional(Base64()), noisy: Base64() },
  { $id: 'EncodedInputs', pixelBytes: { fields: ['clean', 'noisy'], encoding: 'base64' } },
);

/** One labelled column of images (a noise step, a generation input or output). */
export const ImageColumnSchema = Type.Object(
  { label: Text(LIMITS.label), detail: Text(LIMITS.label), images: Ref(EncodedImagesSchema) },
  { $id: 'ImageColumn' },
);

const imageColumns = () => Type.Array(Ref(ImageColumnSchema), { maxItems: LIMITS.previewColumns });

const epochPointFields = {
  epoch: Count(),
  trainLoss: Finite(),
  valLoss: Finite(),
  valPsnr: Type.Optional(Finite()),
  valSsim: Type.Optional(Finite()),
};
/** One epoch of a run's curves (from its metrics.jsonl or live). */
export const EpochPointSchema = Type.Object(epochPointFields, { $id: 'EpochPoint' });

/** Final figures of one split. */
export const SplitFiguresSchema = Type.Object(
  { mse: Finite(), psnr: Finite(), ssim: Finite() },
  { $id: 'SplitFigures' },
);

/** One run as the run list and the results table (src/app/results) show it, shaped like the seed report's table. */
export const RunRowSchema = Type.Object(
  {
    runDir: Text(LIMITS.path),
    name: Text(LIMITS.label),
    /** The name with what tells the run from those listed with it: start time, config fields that differ. */
    label: Type.Optional(Text(LIMITS.label)),
    /** The user's own name for the run, its tags and note (the run folder's notes.json). */
    title: Type.Optional(Text(LIMITS.label)),
    tags: Type.Optional(Type.Array(Text(LIMITS.label), { maxItems: LIMITS.notes })),
    note: Type.Optional(Text(LIMITS.text)),
    /**
     * The config fields that differ among the runs compared with it (a sweep's hyper-parameters), by their
     * path in the config: `training.learningRate`. Numbers stay numbers, so they can be put on an axis.
     */
    params: Type.Optional(
      Type.Array(Type.Object({ key: Text(LIMITS.label), value: Type.Union([Finite(), Text(LIMITS.label)]) }), {
        maxItems: LIMITS.notes,
      }),
    ),
    status: StringEnum([...RUN_STATUSES, 'unknown'] as const),
    startedAt: Type.Optional(Text(LIMITS.label)),
    durationSeconds: Type.Optional(nonNegative()),
    /** "gaussian(variance 0.01) + saltPepper(amount 0.1)" */
    noise: Type.Optional(Text(LIMITS.text)),
    model: Type.Optional(Text(LIMITS.text)),
    /** Dense models: the number of layers counting input and output, as in the seed report's tables. */
    layers: Type.Optional(Count()),
    codeSize: Type.Optional(Count()),
    optimizer: Type.Optional(Text(LIMITS.label)),
    learningRate: Type.Optional(Finite()),
    batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.count })),
    epochs: Type.Optional(Count()),
    epochsCompleted: Type.Optional(Count()),
    train: Type.Optional(Ref(SplitFiguresSchema)),
    val: Type.Optional(Ref(SplitFiguresSchema)),
    test: Type.Optional(Ref(SplitFiguresSchema)),
    /** The noisy test inputs scored as they are: the baseline a model must beat. */
    testNoisy: Type.Optional(Ref(SplitFiguresSchema)),
    /** The training loss kind (mse, mae, bce): curves of different kinds do not share an axis. */
    loss: Type.Optional(Text(LIMITS.label)),
    /** Readability of the noisy test digits, next to the denoised ones'. */
    readabilityNoisy: Type.Optional(Finite(LIMITS.fraction)),
    /** Share of denoised test digits a clean-trained classifier reads correctly, when the run measured it. */
    readability: Type.Optional(Finite(LIMITS.fraction)),
  },
  { $id: 'RunRow' },
);

/** The parts the webview messages refer to by `$id`. */
export const WEBVIEW_PARTS = [
  EncodedImagesSchema,
  EncodedSamplesSchema,
  EncodedInputsSchema,
  ImageColumnSchema,
  EpochPointSchema,
  SplitFiguresSchema,
  RunRowSchema,
];

export const HostToWebviewSchema = TaggedUnion([
  Type.Object({ type: Type.Literal('init'), protocolVersion: Count(), view: StringEnum(WEBVIEW_KINDS) }),
  /** One column per entry: clean, each step alone, combined. */
  Type.Object({ type: Type.Literal('noisePreview'), configFile: Text(LIMITS.path), columns: imageColumns() }),
  Type.Object({
    type: Type.Literal('noisePreviewError'),
    configFile: Text(LIMITS.path),
    problems: Type.Array(Type.Object({ path: Text(LIMITS.label), message: Text(LIMITS.text) }), {
      maxItems: LIMITS.problems,
    }),
  }),
  Type.Object({
    type: Type.Literal('runQueued'),
    runId: runId(),
    runName: Text(LIMITS.label),
    configFile: Text(LIMITS.path),
  }),
  Type.Object({
    type: Type.Literal('runStarted'),
    runId: runId(),
    runName: Text(LIMITS.label),
    runDir: Text(LIMITS.path),
    engine: Text(LIMITS.label),
    model: Text(LIMITS.text),
    dataset: Text(LIMITS.text),
    epochs: Count(),
    batchesPerEpoch: Count(),
  }),
  Type.Object({
    type: Type.Literal('batch'),
    runId: runId(),
    epoch: Count(),
    batch: Count(),
    batchesPerEpoch: Count(),
    loss: Finite(),
    samplesPerSecond: nonNegative(),
    /** Seconds left for the whole run, from the speed so far. */
    etaSeconds: nonNegative(),
  }),
  Type.Object({
    type: Type.Literal('epoch'),
    runId: runId(),
    ...epochPointFields,
    epochs: Count(),
    etaSeconds: nonNegative(),
    samplesPerSecond: nonNegative(),
    best: Type.Boolean(),
  }),
  Type.Object({ type: Type.Literal('samples'), runId: runId(), epoch: Count(), images: Ref(EncodedSamplesSchema) }),
  Type.Object({
    type: Type.Literal('runEnded'),
    runId: runId(),
    runDir: Type.Optional(Text(LIMITS.path)),
    ending: StringEnum(RUN_ENDINGS),
    message: Text(LIMITS.text),
    /** The run's final figures (test metrics, noisy baseline, readability), once its folder has them. */
    row: Type.Optional(Ref(RunRowSchema)),
  }),
  Type.Object({ type: Type.Literal('runs'), runs: Type.Array(Ref(RunRowSchema), { maxItems: LIMITS.runs }) }),
  Type.Object({
    type: Type.Literal('comparison'),
    runs: Type.Array(
      Type.Object({
        row: Ref(RunRowSchema),
        curve: Type.Array(Ref(EpochPointSchema), { maxItems: LIMITS.epochs }),
        samples: Type.Optional(Ref(EncodedSamplesSchema)),
      }),
      { maxItems: LIMITS.runs },
    ),
    /** The user selected this run in the runs view: the side panel shows it unless a run is training. */
    selected: Type.Optional(Type.Boolean()),
  }),
  /** The seed report's generation experiment of a run (its generation.png): input | output columns. */
  Type.Object({
    type: Type.Literal('generation'),
    runDir: Text(LIMITS.path),
    runName: Text(LIMITS.label),
    columns: imageColumns(),
  }),
  /**
   * The compared runs' sample images after one epoch (epochs/epoch-NNNN.png), for the epoch slider. Runs on
   * the same test images share them: each distinct clean | noisy pair is sent once in `inputs`, and each run
   * names its pair and carries its own denoised column (src/protocol/epochSamplesPacking.ts).
   */
  Type.Object({
    type: Type.Literal('epochSamples'),
    epoch: Type.Integer({ minimum: 1, maximum: LIMITS.epochNumber }),
    inputs: Type.Array(Ref(EncodedInputsSchema), { maxItems: LIMITS.runs }),
    runs: Type.Array(
      Type.Object({
        runDir: Text(LIMITS.path),
        inputs: Type.Integer({ minimum: 0, maximum: LIMITS.runs - 1 }),
        denoised: Base64(),
      }),
      { maxItems: LIMITS.runs },
    ),
  }),
  ...CompareMessageSchemas,
]);

export const WebviewToHostSchema = TaggedUnion([
  Type.Object({ type: Type.Literal('ready'), protocolVersion: Count() }),
  Type.Object({ type: Type.Literal('stopRun'), runId: runId() }),
  Type.Object({ type: Type.Literal('requestNoisePreview') }),
  Type.Object({ type: Type.Literal('requestRuns') }),
  Type.Object({ type: Type.Literal('compareRuns'), runDirs: runDirs() }),
  Type.Object({ type: Type.Literal('openRunFolder'), runDir: Text(LIMITS.path) }),
  /** Asks for a finished run's generation images (answered with `generation`). */
  Type.Object({ type: Type.Literal('requestGeneration'), runDir: Text(LIMITS.path) }),
  /** Asks for the runs' sample images after `epoch` (answered with `epochSamples`). */
  Type.Object({
    type: Type.Literal('requestEpochSamples'),
    runDirs: runDirs(),
    epoch: Type.Integer({ minimum: 1, maximum: LIMITS.epochNumber }),
  }),
  Type.Object({
    type: Type.Literal('exportResults'),
    runDirs: runDirs(),
    format: StringEnum(['csv', 'markdown'] as const),
  }),
  /** A script error in the page, so it reaches the output channel instead of vanishing. */
  Type.Object({ type: Type.Literal('reportError'), message: Text(LIMITS.text) }),
]);
