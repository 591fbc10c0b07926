import type { EpochLoopContext } from './epochLoop';
import { stateField, type EpochSoFar, type TrainingState } from './trainingState';

/**
 * The loop's state for a checkpoint after `batchesDone` batches of the epoch after `epochsDone` (0 at an
 * epoch's end, with no `soFar`). The model must hold the current weights (StepStrategy.storeWeights).
 */
export async function captureTrainingState(
  run: EpochLoopContext,
  epochsDone: number,
  batchesDone: number,
  soFar?: EpochSoFar,
): Promise<TrainingState> {
  return {
    format: 1,
    epochsDone,
    batchesDone,
    batchesPerEpoch: run.position.batchesPerEpoch,
    ...(soFar ? { epochSoFar: soFar } : {}),
    steps: await run.steps.resumeState(),
    batches: run.batches.resumeState(),
    modelNoise: run.trainingNoise?.state() ?? null,
    earlyStopping: run.best.resumeState(),
    divergence: run.guard.resumeState(),
    collapseWarned: run.collapse.alreadyWarned,
  };
}

/**
 * Puts a checkpoint's state back into a freshly assembled loop whose position already starts at the
 * checkpoint; errors name what does not fit (another model, optimizer or dataset).
 */
export async function restoreTrainingState(run: EpochLoopContext, state: TrainingState): Promise<void> {
  if (state.format !== 1)
    throw new Error(`the checkpoint's training state has format ${state.format}; this version reads format 1`);
  if (state.batchesPerEpoch !== run.position.batchesPerEpoch) {
    throw new Error(
      `the checkpoint has ${state.batchesPerEpoch} batches per epoch, this run ${run.position.batchesPerEpoch}`,
    );
  }
  await run.steps.restoreState(state.steps);
  run.batches.restoreState(state.batches);
  if ((state.modelNoise === null) !== (run.trainingNoise === undefined)) {
    throw new Error(
      `the checkpoint ${state.modelNoise ? 'has' : 'lacks'} the model's training noise, this model ${run.trainingNoise ? 'draws' : 'draws none'}`,
    );
  }
  if (state.modelNoise) run.trainingNoise?.restore(state.modelNoise);
  run.best.restoreState(state.earlyStopping);
  run.guard.restoreState({
    reference: stateField(state.divergence, 'reference', 'divergence state') as number | null,
    warmup: stateField(state.divergence, 'warmup', 'divergence state') as number[],
  });
  run.collapse.restore(state.collapseWarned === true);
}
