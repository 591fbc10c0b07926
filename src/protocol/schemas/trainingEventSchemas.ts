/**
 * What a trainer reports over its channel: training events and the run summary. These are the wire's own
 * shapes; the core types they carry (core/training/events.ts, core/runs/runSummary.ts) are checked against
 * them at compile time in coreWireChecks.ts, so editing a core type breaks the build instead of the wire.
 */
import { Type } from '@sinclair/typebox';
import { LIMITS } from '../limits';
import { RUN_STATUSES } from '../runStatuses';
import { Bytes, Count, Finite, imageShape, StringEnum, TaggedUnion, Text, type PixelFields } from './schemaParts';

export const ENGINE_NAMES = ['tensorflow', 'wasm-blas', 'wasm', 'cpu'] as const;

const nonNegative = () => Finite({ minimum: 0 });
const fraction = () => Finite(LIMITS.fraction);
const epochNumber = () => Count(LIMITS.epochNumber);

export const EngineInfoSchema = Type.Object({
  name: StringEnum(ENGINE_NAMES),
  backend: Text(LIMITS.label),
  threads: Count(LIMITS.threads),
  blasLibrary: Type.Optional(Text(LIMITS.label)),
  notes: Type.Array(Text(LIMITS.text), { maxItems: LIMITS.notes }),
});

const qualityFields = {
  mse: nonNegative(),
  psnr: Finite(),
  ssim: Finite(LIMITS.ssim),
  count: Count(),
};
export const QualityMetricsSchema = Type.Object(qualityFields);

const sampleFields: PixelFields = { fields: ['clean', 'noisy', 'denoised'], encoding: 'bytes' };
export const SampleImagesSchema = Type.Object(
  { ...imageShape, clean: Type.Optional(Bytes()), noisy: Bytes(), denoised: Bytes() },
  { pixelBytes: sampleFields },
);

const epochRecordFields = {
  epoch: epochNumber(),
  trainLoss: Finite(),
  valLoss: Finite(),
  val: Type.Optional(QualityMetricsSchema),
  seconds: nonNegative(),
  samplesPerSecond: nonNegative(),
  dataSeconds: Type.Optional(nonNegative()),
  best: Type.Boolean(),
  learningRate: Type.Optional(Finite(LIMITS.learningRate)),
};

export const TrainingEventSchema = TaggedUnion([
  Type.Object({
    type: Type.Literal('started'),
    runDir: Text(LIMITS.path),
    runName: Text(LIMITS.label),
    engine: EngineInfoSchema,
    model: Text(LIMITS.text),
    dataset: Text(LIMITS.text),
    trainSize: Count(),
    epochs: epochNumber(),
    batchesPerEpoch: Count(),
  }),
  Type.Object({
    type: Type.Literal('batch'),
    epoch: epochNumber(),
    batch: Count(),
    batchesPerEpoch: Count(),
    loss: Finite(),
    samplesPerSecond: nonNegative(),
    etaSeconds: nonNegative(),
  }),
  Type.Object({ type: Type.Literal('epoch'), epochs: epochNumber(), etaSeconds: nonNegative(), ...epochRecordFields }),
  Type.Object({ type: Type.Literal('samples'), epoch: epochNumber(), images: SampleImagesSchema }),
  Type.Object({ type: Type.Literal('log'), message: Text(LIMITS.text) }),
  Type.Object({
    type: Type.Literal('finished'),
    status: StringEnum(RUN_STATUSES),
    runDir: Text(LIMITS.path),
    message: Text(LIMITS.text),
  }),
  Type.Object({
    type: Type.Literal('failed'),
    reason: StringEnum(['diverged', 'error'] as const),
    message: Text(LIMITS.text),
    hint: Type.Optional(Text(LIMITS.text)),
    runDir: Type.Optional(Text(LIMITS.path)),
  }),
]);

const SplitResultSchema = Type.Object({
  denoised: QualityMetricsSchema,
  noisyInput: QualityMetricsSchema,
  cleanReconstruction: Type.Optional(QualityMetricsSchema),
});

export const RunSummarySchema = Type.Object({
  name: Text(LIMITS.label),
  description: Text(LIMITS.text),
  runDir: Text(LIMITS.path),
  status: StringEnum(RUN_STATUSES),
  message: Text(LIMITS.text),
  startedAt: Text(LIMITS.label),
  finishedAt: Text(LIMITS.label),
  durationSeconds: nonNegative(),
  engine: EngineInfoSchema,
  model: Text(LIMITS.text),
  dataset: Text(LIMITS.text),
  noise: Text(LIMITS.text),
  epochsCompleted: epochNumber(),
  bestEpoch: epochNumber(),
  samplesPerSecond: nonNegative(),
  trainingSteps: Type.Optional(Text(LIMITS.text)),
  finalTrainLoss: Type.Optional(Finite()),
  finalValLoss: Type.Optional(Finite()),
  metrics: Type.Optional(Type.Object({ train: SplitResultSchema, val: SplitResultSchema, test: SplitResultSchema })),
  readability: Type.Optional(Type.Object({ clean: fraction(), noisyInput: fraction(), denoised: fraction() })),
  comparison: Type.Optional(
    Type.Array(
      Type.Object({
        ...qualityFields,
        method: Text(LIMITS.label),
        label: Text(LIMITS.text),
        readability: Type.Optional(fraction()),
        seconds: nonNegative(),
      }),
      { maxItems: LIMITS.comparisonRows },
    ),
  ),
});
