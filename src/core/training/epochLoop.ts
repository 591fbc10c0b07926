import type { BestWeights } from './bestWeights';
import type { CollapseWatch } from './collapsedOutput';
import { trainEpochSteps, type EpochSteps, type EpochStepsContext } from './epochSteps';
import type { EpochValidation } from './epochValidation';
import type { EpochRecord, RunStatus } from './events';
import { TimeBudget } from './timeBudget';

/** How a training session ends when nothing throws. */
export type TrainingEnd = Extract<RunStatus, 'completed' | 'stopped' | 'earlyStopped'>;

/** Everything the epoch loop drives; trainer.ts assembles it. */
export interface EpochLoopContext extends EpochStepsContext {
  readonly validate: () => EpochValidation;
  readonly best: BestWeights;
  readonly collapse: CollapseWatch;
  /** Runs after each epoch (writing metrics and sample images) before its checkpoint and the next epoch. */
  readonly afterEpoch?: (record: EpochRecord) => Promise<void> | void;
  /** This session's epochs, appended as they end. */
  readonly records: EpochRecord[];
}

/**
 * Trains this session's epochs one after the other: each epoch's steps, then its validation and record.
 * Ends after the last epoch, when the signal stops it, or when early stopping says so.
 */
export async function runEpochs(run: EpochLoopContext): Promise<TrainingEnd> {
  // A run resumed from the checkpoint of the epoch that stopped it early (killed while saving its results).
  if (run.best.shouldStop() && run.position.epochsDone < run.position.epochs) return 'earlyStopped';
  const budget = new TimeBudget(run.training.maxMinutes);
  for (let epoch = run.position.firstEpoch; epoch <= run.position.epochs; epoch++) {
    const steps = await trainEpochSteps(run, epoch);
    // A stop mid-epoch records no partial epoch: the curve shows only whole passes over the data.
    if (steps.stopped) return 'stopped';
    if (steps.samples === 0) return 'completed';
    await finishEpoch(run, epoch, steps);
    if (run.best.shouldStop() && epoch < run.position.epochs) return 'earlyStopped';
    if (epoch < run.position.epochs && !budget.allowsAnotherEpoch(epoch - run.position.epochsDone)) {
      run.onEvent?.({ type: 'log', message: budget.endMessage(epoch) });
      return 'completed';
    }
  }
  return 'completed';
}

/** Validates the epoch, records and reports it, warns once of a collapsed model, then runs afterEpoch. */
async function finishEpoch(run: EpochLoopContext, epoch: number, steps: EpochSteps): Promise<void> {
  const val = run.validate();
  const best = run.best.record(epoch, val.loss);
  const seconds = (performance.now() - steps.startedAt) / 1000;
  const record: EpochRecord = {
    epoch,
    trainLoss: steps.lossSum / steps.samples,
    valLoss: val.loss,
    ...(val.quality ? { val: val.quality } : {}),
    seconds,
    samplesPerSecond: steps.samples / seconds,
    dataSeconds: steps.dataSeconds,
    best,
    learningRate: steps.learningRate,
  };
  run.records.push(record);
  const etaSeconds = run.progress.etaAfterEpoch(epoch);
  run.onEvent?.({ type: 'epoch', epochs: run.position.epochs, etaSeconds, ...record });
  const collapsed = run.collapse.check(epoch, val.outputs);
  if (collapsed) run.onEvent?.({ type: 'log', message: collapsed });
  await run.afterEpoch?.(record);
  // After the epoch's metrics line: a crash between the two leaves the checkpoint an epoch behind the
  // metrics, and resuming drops that line and trains the epoch again.
  if (run.checkpoints && run.captureState) await run.checkpoints.save(await run.captureState(epoch, 0));
}
