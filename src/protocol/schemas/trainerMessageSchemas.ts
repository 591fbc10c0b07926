/** Both directions of the host ↔ trainer channel (described in ../trainerMessages.ts). */
import { Type } from '@sinclair/typebox';
import { LIMITS } from '../limits';
import { Bytes, imageShape, StringEnum, TaggedUnion, Text } from './schemaParts';
import { ApplyMessageSchema, ApplyRequestSchema } from './applyMessageSchemas';
import { RunSummarySchema, TrainingEventSchema } from './trainingEventSchemas';

const overrides = () => Type.Array(Text(LIMITS.text), { maxItems: LIMITS.overrides });

export const StartRequestSchema = Type.Object({
  type: Type.Literal('start'),
  /** Absolute path of the `*.denoise.json` file. */
  configFile: Text(LIMITS.path),
  /** `PATH=VALUE` overrides applied on top of the file (settings, sweeps). */
  overrides: overrides(),
  /** Absolute runs folder; absent: the experiment's own `output.runsDir`. */
  runsDir: Type.Optional(Text(LIMITS.path)),
  /** An interrupted run's folder to continue from its last checkpoint instead of starting a new run. */
  resumeRunDir: Type.Optional(Text(LIMITS.path)),
});

export const PreviewRequestSchema = Type.Object({
  type: Type.Literal('preview'),
  configFile: Text(LIMITS.path),
  /** The editor's unsaved text, when it differs from the file; relative paths still resolve from the file. */
  configText: Type.Optional(Text(LIMITS.configText)),
  overrides: overrides(),
  /** How many test images per column. */
  count: Type.Integer({ minimum: 1, maximum: LIMITS.images }),
});

export const StopRequestSchema = Type.Object({ type: Type.Literal('stop') });

export const HostToTrainerSchema = TaggedUnion([
  StartRequestSchema,
  PreviewRequestSchema,
  StopRequestSchema,
  ApplyRequestSchema,
]);

export const FailureClassSchema = StringEnum(['badInput', 'runFailed'] as const);

export const PreviewColumnSchema = Type.Object({
  label: Text(LIMITS.label),
  /** The step's values, e.g. "mean 0, variance 0.01". */
  detail: Text(LIMITS.label),
  /** count × height × width gray pixels, 0-255, image after image. */
  pixels: Bytes(),
});

export const ConfigProblemSchema = Type.Object({
  path: Text(LIMITS.label),
  message: Text(LIMITS.text),
  line: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.count })),
  column: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.count })),
});

export const TrainerToHostSchema = TaggedUnion([
  Type.Object({ type: Type.Literal('event'), event: TrainingEventSchema }),
  ApplyMessageSchema,
  /** The stop request was received between two batches: training has ended, results are being written. */
  Type.Object({ type: Type.Literal('stopping') }),
  Type.Object({ type: Type.Literal('summary'), summary: RunSummarySchema }),
  Type.Object(
    {
      type: Type.Literal('preview'),
      ...imageShape,
      columns: Type.Array(PreviewColumnSchema, { maxItems: LIMITS.previewColumns }),
    },
    { pixelBytes: { fields: ['pixels'], encoding: 'bytes', inItemsOf: 'columns' } },
  ),
  Type.Object({
    type: Type.Literal('error'),
    failure: FailureClassSchema,
    message: Text(LIMITS.text),
    /** Config problems, each naming its field; empty for other errors. */
    problems: Type.Array(ConfigProblemSchema, { maxItems: LIMITS.problems }),
  }),
]);
