/**
 * The messages between the extension host and a trainer child process (`dist/trainer.js`), sent over
 * Node's IPC channel with `serialization: 'advanced'` (the structured clone algorithm): typed arrays such
 * as sample images cross as Uint8Array without being turned into JSON.
 *
 * A trainer handles one request: `start` (train), `preview` (noise preview, no training) or `apply` (denoise image
 * files with a trained model: `applyEvent`s, the last of type `done`), then exits. An apply is cancelled by
 * killing its trainer: each output is written to a temporary name and renamed, so none is left half-written.
 * During a run the host may send `stop`; the trainer answers `stopping` once the current batch is done,
 * writes the results and exits. The last message is `summary`, `preview` or `error`; the exit code is
 * 0 (run completed or stopped early as configured), 1 (the run failed, diverged or was stopped) or
 * 2 (bad input: config, dataset, starting run), the same as the `denoise` command line.
 *
 * The shapes, their bounds and their validators come from one definition each, in
 * schemas/trainerMessageSchemas.ts and schemas/trainingEventSchemas.ts.
 */
import type { Wire } from './schemas/schemaParts';
import type {
  FailureClassSchema,
  HostToTrainerSchema,
  PreviewColumnSchema,
  PreviewRequestSchema,
  StartRequestSchema,
  StopRequestSchema,
  TrainerToHostSchema,
} from './schemas/trainerMessageSchemas';
import type { ApplyEventSchema, ApplyMessageSchema, ApplyRequestSchema } from './schemas/applyMessageSchemas';
import type { EngineInfoSchema, RunSummarySchema, TrainingEventSchema } from './schemas/trainingEventSchemas';

export type StartRequest = Wire<typeof StartRequestSchema>;
export type PreviewRequest = Wire<typeof PreviewRequestSchema>;
export type StopRequest = Wire<typeof StopRequestSchema>;
export type ApplyRequest = Wire<typeof ApplyRequestSchema>;
export type HostToTrainer = Wire<typeof HostToTrainerSchema>;

/** Why a trainer could not do its job: the user's input (exit 2) or the run itself (exit 1). */
export type FailureClass = Wire<typeof FailureClassSchema>;

/** One column of a noise preview: the clean images, one noise step alone, or all steps combined. */
export type PreviewColumn = Wire<typeof PreviewColumnSchema>;

export type TrainerToHost = Wire<typeof TrainerToHostSchema>;

/** A training event as it crosses the channel; the same shape as the core's TrainingEvent (coreWireChecks.ts). */
export type WireTrainingEvent = Wire<typeof TrainingEventSchema>;
export type WireRunSummary = Wire<typeof RunSummarySchema>;
export type WireEngineInfo = Wire<typeof EngineInfoSchema>;

/** One apply event as it crosses the channel; the same shape as the core's ApplyEvent (coreWireChecks.ts). */
export type WireApplyEvent = Wire<typeof ApplyEventSchema>;
/** An apply's progress or its end (`done`). */
export type ApplyMessage = Wire<typeof ApplyMessageSchema>;
