/**
 * The apply pair of the host ↔ trainer channel (described in ../trainerMessages.ts): `apply` asks a trainer to
 * denoise image files with a run's model; the trainer answers with `applyEvent`s (the core's ApplyEvent: start,
 * each tile, each written file) and a last `applyEvent` of type `done` listing the files written.
 */
import { Type } from '@sinclair/typebox';
import { LIMITS } from '../limits';
import { Count, Finite, TaggedUnion, Text } from './schemaParts';

export const ApplyRequestSchema = Type.Object({
  type: Type.Literal('apply'),
  /** Absolute run folder (a trained run, or a built-in model's folder) whose model/ denoises. */
  runDir: Text(LIMITS.path),
  /** Absolute image files or folders of them. */
  inputs: Type.Array(Text(LIMITS.path), { minItems: 1, maxItems: LIMITS.applyInputs }),
  /** Absolute output folder; never an input folder (the trainer refuses that, as `denoise apply` does). */
  out: Text(LIMITS.path),
  /**
   * Absolute path of the progress record the trainer keeps (src/trainer/applyProgressFile.ts), so that a window
   * opened after a reload finds the apply and follows it or says how it ended.
   */
  progressFile: Type.Optional(Text(LIMITS.path)),
  tile: Type.Optional(Type.Integer({ minimum: 8, maximum: 1_000_000 })),
  memoryMb: Type.Optional(Type.Integer({ minimum: 16, maximum: 1_000_000 })),
  /** The inputs' Gaussian noise level on the 0-255 scale, as `denoise apply --sigma`. */
  sigma: Type.Optional(Finite({ minimum: 0, maximum: 255 })),
});

const ApplyStartedSchema = Type.Object({
  type: Type.Literal('started'),
  files: Type.Integer({ minimum: 1, maximum: LIMITS.count }),
  model: Text(LIMITS.text),
  /** Where the network runs: the oneDNN plan, or TensorFlow.js and why. */
  inference: Text(LIMITS.text),
  tile: Type.Integer({ minimum: 1, maximum: LIMITS.count }),
  margin: Count(),
  /** How the memory budget is spent (engine and model, the largest image, tiles), or that --tile set the tiles. */
  memory: Text(LIMITS.text),
  /** How the model is told the inputs' noise level, when the request gave one (`denoise apply --sigma`). */
  sigmaHint: Type.Optional(Text(LIMITS.text)),
});

const ApplyTileSchema = Type.Object({
  type: Type.Literal('tile'),
  file: Count(),
  done: Count(),
  total: Type.Integer({ minimum: 1, maximum: LIMITS.count }),
});

const ApplyFileSchema = Type.Object({
  type: Type.Literal('file'),
  file: Count(),
  input: Text(LIMITS.path),
  output: Text(LIMITS.path),
  width: Type.Integer({ minimum: 1, maximum: LIMITS.count }),
  height: Type.Integer({ minimum: 1, maximum: LIMITS.count }),
  seconds: Finite({ minimum: 0 }),
  /** An RGB file of three equal channels, denoised by the gray model as gray and written back as RGB. */
  grayAsRgb: Type.Boolean(),
});

/** The core's ApplyEvent (src/core/apply/applyRun.ts; coreWireChecks.ts keeps the two in step). */
export const ApplyEventSchema = TaggedUnion([ApplyStartedSchema, ApplyTileSchema, ApplyFileSchema]);

export const ApplyDoneSchema = Type.Object({
  type: Type.Literal('done'),
  outputs: Type.Array(Text(LIMITS.path), { maxItems: LIMITS.applyFiles }),
});

export const ApplyMessageSchema = Type.Object({
  type: Type.Literal('applyEvent'),
  event: TaggedUnion([ApplyStartedSchema, ApplyTileSchema, ApplyFileSchema, ApplyDoneSchema]),
});
