/**
 * training.maxMinutes: a run ends at the epoch boundary before the epoch that would take it past the budget,
 * judged by the mean time of this session's epochs so far (training, validation and what is written after
 * each). The first epoch always runs, so a budget shorter than one epoch still trains one.
 */
export class TimeBudget {
  private readonly startedAt = performance.now();

  constructor(private readonly maxMinutes: number) {}

  /** Whether another epoch is expected to end within the budget, after `sessionEpochs` epochs of this session. */
  allowsAnotherEpoch(sessionEpochs: number, now = performance.now()): boolean {
    if (!(this.maxMinutes > 0) || sessionEpochs <= 0) return true;
    const elapsed = now - this.startedAt;
    return elapsed + elapsed / sessionEpochs <= this.maxMinutes * 60_000;
  }

  endMessage(epoch: number): string {
    const limit = `training.maxMinutes (${this.maxMinutes})`;
    return `${limit} reached: ending after epoch ${epoch}, before one that would end past it.`;
  }
}
