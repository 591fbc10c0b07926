import type { Training } from '../config/experimentConfig.generated';
import type { RunPosition } from './runPosition';

export type LearningRateSchedule = NonNullable<Training['learningRateSchedule']>;

/** Where a batch stands in the whole run; indices count from 0 across epochs, so a resumed run carries on. */
export interface BatchPosition {
  /** Batch index within the whole run: (epoch - 1) * batchesPerEpoch + batch within the epoch. */
  readonly batch: number;
  /** Batches of the whole run: epochs * batchesPerEpoch. */
  readonly totalBatches: number;
  readonly batchesPerEpoch: number;
}

/**
 * True when the rate never changes, so the trainer needs no per-batch work: no schedule, or a constant one
 * without warm-up.
 */
export function isConstantSchedule(schedule: LearningRateSchedule | undefined): boolean {
  return !schedule || (schedule.type === 'constant' && schedule.warmupBatches === 0);
}

/**
 * The learning rate for one batch. The schedule's value is multiplied by a linear warm-up ramp
 * (batch + 1) / warmupBatches over the first warmupBatches batches; cosine starts decaying after the
 * warm-up and reaches learningRate * finalFraction at batch index totalBatches (just after the last batch,
 * so the last batch still moves the weights); step multiplies by factor every everyEpochs epochs, never
 * below learningRate * finalFraction. Hand-written: TensorFlow.js 4.22 has no schedules of its own.
 */
export function learningRateAt(
  learningRate: number,
  schedule: LearningRateSchedule | undefined,
  at: BatchPosition,
): number {
  if (!schedule) return learningRate;
  const floor = learningRate * schedule.finalFraction;
  let rate = learningRate;
  switch (schedule.type) {
    case 'constant':
      break;
    case 'cosine': {
      const decayBatches = at.totalBatches - schedule.warmupBatches;
      const progress = decayBatches > 0 ? clamp((at.batch - schedule.warmupBatches) / decayBatches, 0, 1) : 0;
      rate = floor + (learningRate - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
      break;
    }
    case 'step': {
      const steps = Math.floor(Math.floor(at.batch / at.batchesPerEpoch) / schedule.everyEpochs);
      rate = Math.max(floor, learningRate * schedule.factor ** steps);
      break;
    }
  }
  if (at.batch < schedule.warmupBatches) rate *= (at.batch + 1) / schedule.warmupBatches;
  return rate;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** The learning rate of batch b (0-based) of an epoch (1-based): training.learningRate without a schedule. */
export function batchLearningRate(
  training: Pick<Training, 'learningRate' | 'learningRateSchedule'>,
  position: RunPosition,
  epoch: number,
  b: number,
): number {
  const schedule = training.learningRateSchedule;
  if (isConstantSchedule(schedule)) return training.learningRate;
  return learningRateAt(training.learningRate, schedule, {
    batch: position.runBatch(epoch, b),
    totalBatches: position.runBatches,
    batchesPerEpoch: position.batchesPerEpoch,
  });
}
