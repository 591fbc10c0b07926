import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Model, Training } from '../../src/core/config/experimentConfig.generated';
import type { ImageSet } from '../../src/core/data/imageSet';
import { buildDenoiser } from '../../src/core/models/buildDenoiser';
import { loadCheckpointModel } from '../../src/core/experiment/resumeModel';
import { saveDenoiser } from '../../src/core/models/modelStorage';
import type { Denoiser } from '../../src/core/models/denoiser';
import { readTrainingState, writeTrainingState } from '../../src/core/runs/trainingStateFile';
import type { EpochRecord } from '../../src/core/training/events';
import { trainDenoiser, type TrainResult } from '../../src/core/training/trainer';
import type { CheckpointSink, TrainingState } from '../../src/core/training/trainingState';
import { weightsInLayerOrder } from './tapeAgainstDirect';

/** What one session of training gave: its epoch lines, final weights and the checkpoints it took. */
export interface Session {
  readonly result: TrainResult;
  readonly records: readonly EpochRecord[];
  readonly weights: Float32Array[];
  readonly checkpoints: readonly { dir: string; state: TrainingState }[];
}

export interface Scenario {
  readonly model: Model;
  readonly training: Training;
  readonly directSteps: boolean;
  /** Noisy inputs per epoch (1-based) and their clean targets. */
  readonly noisy: (epoch: number) => ImageSet;
  readonly clean: ImageSet;
}

/**
 * Trains one session. `checkpointAt` lists the due() calls (one after each batch but an epoch's last,
 * counted from 1) that take a checkpoint within an epoch; epoch ends always take one. Checkpoints go to disk
 * the way a run folder holds them (model files and training.json/.bin), so a resume reads them back.
 */
export async function trainSession(
  scenario: Scenario,
  denoiser: Denoiser,
  options: { checkpointAt?: readonly number[]; history?: readonly EpochRecord[]; resume?: TrainingState } = {},
): Promise<Session> {
  const root = mkdtempSync(join(tmpdir(), 'denoise-resume-'));
  const checkpoints: { dir: string; state: TrainingState }[] = [];
  let dueCalls = 0;
  const sink: CheckpointSink = {
    due: () => (options.checkpointAt ?? []).includes(++dueCalls),
    async save(state) {
      const dir = join(root, `ckpt-${checkpoints.length}`);
      await saveDenoiser(denoiser, dir);
      writeTrainingState(dir, state);
      checkpoints.push({ dir, state });
    },
  };
  const result = await trainDenoiser({
    denoiser,
    training: scenario.training,
    directSteps: scenario.directSteps,
    trainPairs: (epoch) => ({ inputs: scenario.noisy(epoch), targets: scenario.clean }),
    valPairs: { inputs: scenario.noisy(0), targets: scenario.clean },
    history: options.history,
    resume: options.resume,
    checkpoints: options.checkpointAt ? sink : undefined,
  });
  const weights = weightsInLayerOrder(denoiser.model);
  denoiser.model.dispose();
  return { result, records: [...(options.history ?? []), ...result.epochs], weights, checkpoints };
}

/** A fresh model as a new run builds it. */
export const freshModel = (scenario: Scenario): Denoiser =>
  buildDenoiser(scenario.model, { height: scenario.clean.height, width: scenario.clean.width }, scenario.training.seed);

/** Resumes from a checkpoint of `from` with its model and state read back from disk, as `denoise resume` does. */
export async function resumeFrom(scenario: Scenario, from: Session, index: number): Promise<Session> {
  const { dir } = from.checkpoints[index];
  const state = readTrainingState(dir);
  const image = { height: scenario.clean.height, width: scenario.clean.width };
  const denoiser = await loadCheckpointModel(dir, { model: scenario.model, training: scenario.training }, image);
  const history = from.records.filter((r) => r.epoch <= state.epochsDone);
  return trainSession(scenario, denoiser, { history, resume: state });
}

/** An epoch line without its wall-clock fields, which no two runs share. */
export const withoutClock = (r: EpochRecord) => ({ ...r, seconds: 0, samplesPerSecond: 0, dataSeconds: 0 });
