import type { ExperimentConfig } from '../config/experimentConfig.generated';
import type { EngineInfo } from '../engine/selectEngine';
import { describeNoise } from '../noise/describeNoise';
import type { RunSummary } from '../runs/runSummary';
import type { TrainingEnded } from './trainRun';

/** What summary.json says about a run whatever its ending. */
export interface SummarySubject {
  readonly config: Pick<ExperimentConfig, 'name' | 'description' | 'noise'>;
  readonly runDir: string;
  readonly startedAt: Date;
  readonly engine: EngineInfo;
  /** The model's description. */
  readonly model: string;
  /** The dataset's name. */
  readonly dataset: string;
  /** Epochs done before this session (a resumed run's). */
  readonly epochsBefore: number;
}

/** What a run's summary is about, from the run (whole-image or patch-trained) and its dataset's name. */
export function summarySubjectOf(
  run: Pick<SummarySubject, 'config' | 'runDir' | 'startedAt' | 'engine'> & {
    readonly denoiser: { describe(): string };
    readonly history: readonly unknown[];
  },
  dataset: string,
): SummarySubject {
  const { config, runDir, startedAt, engine } = run;
  return {
    config,
    runDir,
    startedAt,
    engine,
    model: run.denoiser.describe(),
    dataset,
    epochsBefore: run.history.length,
  };
}

/** What only a run whose results were saved adds: how it trained, its final losses and its evaluation. */
export type SavedResults = Pick<
  RunSummary,
  'trainingSteps' | 'finalTrainLoss' | 'finalValLoss' | 'metrics' | 'readability' | 'comparison'
>;

/**
 * summary.json for a run that ended as `ended` at `finishedAt`. Without `saved` (the run failed before its
 * results were written) it holds no final losses or metrics, so it never looks complete.
 */
export function buildRunSummary(
  subject: SummarySubject,
  ended: TrainingEnded,
  finishedAt: Date,
  saved?: SavedResults,
): RunSummary {
  const { config, startedAt } = subject;
  const { result } = ended;
  return {
    name: config.name,
    description: config.description,
    runDir: subject.runDir,
    status: ended.status,
    message: ended.message,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    engine: subject.engine,
    model: subject.model,
    dataset: subject.dataset,
    noise: describeNoise(config.noise),
    epochsCompleted: subject.epochsBefore + (result?.epochs.length ?? 0),
    bestEpoch: result?.bestEpoch ?? 0,
    samplesPerSecond: result?.samplesPerSecond ?? 0,
    ...saved,
  };
}
