/**
 * Compile-time checks that what the core produces is exactly what the trainer channel carries. The wire
 * shapes are defined in schemas/, not taken from the core, so editing a core type (a field added, removed,
 * made optional or retyped) fails to compile here instead of silently changing what is sent or dropping a
 * field on receipt. Nothing here runs. An error below ("true is not assignable to false") names the type
 * that differs: bring schemas/ in line with the core, after deciding that the wire should change.
 */
import type { ApplyEvent } from '../core/apply/applyRun';
import type { ConfigProblem } from '../core/config/configError';
import type { EngineInfo, EngineName } from '../core/engine/selectEngine';
import type { RunSummary } from '../core/runs/runSummary';
import type { RunStatus, TrainingEvent } from '../core/training/events';
import type { WireRunStatus } from './runStatuses';
import type { ConfigProblemSchema } from './schemas/trainerMessageSchemas';
import type { ENGINE_NAMES } from './schemas/trainingEventSchemas';
import type { Wire } from './schemas/schemaParts';
import type { WireApplyEvent, WireEngineInfo, WireRunSummary, WireTrainingEvent } from './trainerMessages';

/** Intersections flattened and read-only marks dropped, so two types compare by their fields alone. */
type Plain<T> = T extends Uint8Array
  ? T
  : T extends readonly (infer I)[]
    ? Plain<I>[]
    : T extends object
      ? { -readonly [K in keyof T]: Plain<T[K]> }
      : T;

/** True only when A and B are the same type, optional fields included (mutual assignability is not enough). */
type Same<A, B> = (<T>() => T extends Plain<A> ? 1 : 2) extends <T>() => T extends Plain<B> ? 1 : 2 ? true : false;

export const coreWireChecks: {
  trainingEvent: Same<TrainingEvent, WireTrainingEvent>;
  runSummary: Same<RunSummary, WireRunSummary>;
  engineInfo: Same<EngineInfo, WireEngineInfo>;
  engineName: Same<EngineName, (typeof ENGINE_NAMES)[number]>;
  runStatus: Same<RunStatus, WireRunStatus>;
  configProblem: Same<ConfigProblem, Wire<typeof ConfigProblemSchema>>;
  applyEvent: Same<ApplyEvent, WireApplyEvent>;
} = {
  trainingEvent: true,
  runSummary: true,
  engineInfo: true,
  engineName: true,
  runStatus: true,
  configProblem: true,
  applyEvent: true,
};
