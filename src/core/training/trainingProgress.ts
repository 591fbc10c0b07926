import type { RunPosition } from './runPosition';

/**
 * Training speed and the time left. Speed counts step time only (validation excluded), for samples/s; the
 * estimates divide this session's wall time by its batches or epochs done so far.
 */
export class TrainingProgress {
  private readonly sessionStart: number;
  private stepSeconds = 0;
  private samples = 0;

  constructor(
    private readonly position: RunPosition,
    /** Milliseconds from any fixed origin; tests pass a clock of their own. */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.sessionStart = now();
  }

  /** Runs one step (reading its batch included), adding its time and its samples to the speed. */
  timeStep<T extends { readonly count: number }>(step: () => T): T {
    const start = this.now();
    const result = step();
    this.stepSeconds += (this.now() - start) / 1000;
    this.samples += result.count;
    return result;
  }

  get trainSeconds(): number {
    return this.stepSeconds;
  }

  get samplesSeen(): number {
    return this.samples;
  }

  /** Samples per second of step time so far. */
  get samplesPerSecond(): number {
    return this.samples / this.stepSeconds;
  }

  /** Seconds left for the whole run once batch b (0-based) of an epoch is done. */
  etaAfterBatch(epoch: number, b: number): number {
    const done = this.position.sessionBatchesDone(epoch, b);
    return (this.elapsedSeconds() / done) * (this.position.sessionBatches - done);
  }

  /** Seconds left for the whole run once an epoch is done. */
  etaAfterEpoch(epoch: number): number {
    return (this.elapsedSeconds() / this.position.sessionEpochsDone(epoch)) * (this.position.epochs - epoch);
  }

  private elapsedSeconds(): number {
    return (this.now() - this.sessionStart) / 1000;
  }
}
