import type { TrainingEvent } from '../core/training/events';

/**
 * Decides which training events are worth sending to the host. A small model trains hundreds of batches
 * a second; the host only needs about ten batch updates a second for progress and the loss curve.
 * Every other event passes, and so does the last batch of each epoch, so progress always reaches the end
 * of an epoch. The clock is a parameter so tests can drive it.
 */
export class BatchThrottle {
  private lastSent = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  shouldSend(event: TrainingEvent): boolean {
    if (event.type !== 'batch') return true;
    const time = this.now();
    if (event.batch === event.batchesPerEpoch || time - this.lastSent >= this.intervalMs) {
      this.lastSent = time;
      return true;
    }
    return false;
  }
}
