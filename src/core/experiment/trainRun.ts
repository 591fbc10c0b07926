import type { ExperimentConfig } from '../config/experimentConfig.generated';
import { DivergenceError } from '../training/divergenceGuard';
import type { RunStatus } from '../training/events';
import { trainDenoiser, type TrainResult } from '../training/trainer';
import { epochOutputs } from './epochOutputs';
import type { ExperimentRun } from './experimentRun';
import { runCheckpoints } from './runCheckpoints';

/** How training ended: the status and message summary.json records, and the result when training returned. */
export interface TrainingEnded {
  readonly status: RunStatus;
  readonly message: string;
  readonly result?: TrainResult;
}

/** Trains the run's model on its whole images, writing each epoch's outputs as it goes. */
export async function trainRun(run: ExperimentRun, signal?: AbortSignal): Promise<TrainingEnded> {
  const { config, data } = run;
  return trainingEnding(run, signal, () =>
    trainDenoiser({
      denoiser: run.denoiser,
      training: config.training,
      trainPairs: data.trainPairs,
      valPairs: data.valPairs,
      onEvent: run.emit,
      signal,
      history: run.history,
      resume: run.resumeState,
      afterEpoch: epochOutputs(run),
      checkpoints: runCheckpoints(run),
    }),
  );
}

/**
 * How `train` ended. A failure (divergence, any error) is reported to the listener and returned as the
 * ending, so the run still gets its summary.
 */
export async function trainingEnding(
  run: Pick<ExperimentRun, 'config' | 'history' | 'runDir' | 'emit'>,
  signal: AbortSignal | undefined,
  train: () => Promise<TrainResult>,
): Promise<TrainingEnded> {
  try {
    const result = await train();
    const message = finishMessage(result, run.config, run.history.length, stopReason(signal));
    return { status: result.status, message, result };
  } catch (err) {
    const diverged = err instanceof DivergenceError;
    const { message } = err as Error;
    const hint = diverged ? err.hint : undefined;
    run.emit({ type: 'failed', reason: diverged ? 'diverged' : 'error', message, hint, runDir: run.runDir });
    return diverged ? { status: 'diverged', message: `${message} ${hint}` } : { status: 'failed', message };
  }
}

/** Who stopped the run, when the signal's reason says so ("by SIGTERM"); a plain abort is the user's Stop. */
export function stopReason(signal: AbortSignal | undefined): string {
  return typeof signal?.reason === 'string' ? signal.reason : 'by the user';
}

export function finishMessage(
  result: TrainResult,
  config: ExperimentConfig,
  earlier: number,
  stoppedBy = 'by the user',
): string {
  const n = earlier + result.epochs.length;
  switch (result.status) {
    case 'completed':
      return n < config.training.epochs && config.training.maxMinutes > 0
        ? `Trained ${n} of ${config.training.epochs} epochs: training.maxMinutes (${config.training.maxMinutes}) reached.`
        : `Trained ${n} epochs.`;
    case 'stopped':
      return `Stopped ${stoppedBy} after ${n} of ${config.training.epochs} epochs.`;
    case 'earlyStopped':
      return (
        `Stopped early after ${n} epochs: validation loss had not improved for ` +
        `${config.training.earlyStopping?.patience} epochs; kept epoch ${result.bestEpoch}.`
      );
  }
}
