import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/loadConfig';
import { writeJsonAtomic } from '../files/atomicWrite';
import { runFile } from '../runs/runFiles';
import type { RunSummary } from '../runs/runSummary';
import { writeRunStatus } from '../runs/runStatus';
import type { TrainingEvent, TrainingEventListener } from '../training/events';
import { startExperimentRun, type ExperimentRun } from './experimentRun';
import type { ResumePoint } from './resumePoint';
import { finishRun } from './runResults';
import { finishImageFolderRun, startImageFolderRun, trainImageFolderRun, trainsOnPatches } from './imageFolderRun';
import { trainRun } from './trainRun';

export interface RunOptions {
  readonly onEvent?: TrainingEventListener;
  readonly signal?: AbortSignal;
  /** Overrides config.output.runsDir (e.g. the extension's setting). */
  readonly runsDir?: string;
  /** Continues an interrupted run in its own folder from its last checkpoint (see resumePoint.ts). */
  readonly resume?: ResumePoint;
}

export interface RunOutcome {
  readonly runDir: string;
  readonly summary: RunSummary;
}

export function runsDirFor(loaded: LoadedConfig, override?: string): string {
  return resolve(loaded.baseDir, override ?? loaded.config.output.runsDir);
}

/**
 * Runs one experiment end to end: data, noise, model, training, evaluation, and a run folder holding
 * the resolved config, per-epoch metrics, sample grids, the trained model and summary.json.
 * Input problems (bad dataset, unusable starting run) throw before any run folder is made; a run that
 * starts always ends with a summary.json saying how it ended.
 */
export async function runExperiment(loaded: LoadedConfig, options: RunOptions = {}): Promise<RunOutcome> {
  const emit = (event: TrainingEvent) => options.onEvent?.(event);
  if (trainsOnPatches(loaded.config)) {
    const run = await startImageFolderRun(loaded, runsDirFor(loaded, options.runsDir), options.resume, emit);
    const summary = await finishImageFolderRun(run, await trainImageFolderRun(run, options.signal));
    recordEnding(run, summary);
    return { runDir: run.runDir, summary };
  }
  const run = await startExperimentRun(loaded, runsDirFor(loaded, options.runsDir), options.resume, emit);
  const ended = await trainRun(run, options.signal);
  const summary = await finishRun(run, ended);
  recordEnding(run, summary);
  return { runDir: run.runDir, summary };
}

/** Writes summary.json and the final status.json, then reports a run that did not fail as finished. */
function recordEnding(run: Pick<ExperimentRun, 'runDir' | 'config' | 'emit'>, summary: RunSummary): void {
  const { runDir, config } = run;
  const { status, message } = summary;
  writeJsonAtomic(runFile(runDir, 'summary'), summary);
  writeRunStatus(runDir, {
    status,
    startedAt: summary.startedAt,
    epoch: summary.epochsCompleted,
    epochs: config.training.epochs,
    message,
  });
  if (status !== 'failed' && status !== 'diverged') run.emit({ type: 'finished', status, runDir, message });
}
