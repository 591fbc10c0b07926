/**
 * Early stopping's bookkeeping: the best validation loss so far, its epoch, and whether `patience` epochs
 * have passed without beating it by more than `minDelta`. Without a patience it never says stop.
 */
export class EarlyStopping {
  private bestLoss = Infinity;
  private best = 0;
  private sinceBest = 0;

  constructor(
    readonly patience: number | undefined,
    private readonly minDelta: number,
  ) {}

  /** Records an epoch's validation loss; returns true when it is the best so far. */
  record(epoch: number, valLoss: number): boolean {
    if (valLoss < this.bestLoss - this.minDelta) {
      this.bestLoss = valLoss;
      this.best = epoch;
      this.sinceBest = 0;
      return true;
    }
    this.sinceBest++;
    return false;
  }

  shouldStop(): boolean {
    return this.patience !== undefined && this.sinceBest >= this.patience;
  }

  /** Best loss, its epoch and the epochs since: what a checkpoint saves (bestLoss is Infinity before any). */
  state(): { bestLoss: number; bestEpoch: number; sinceBest: number } {
    return { bestLoss: this.bestLoss, bestEpoch: this.best, sinceBest: this.sinceBest };
  }

  restore(state: { bestLoss: number; bestEpoch: number; sinceBest: number }): void {
    this.bestLoss = state.bestLoss;
    this.best = state.bestEpoch;
    this.sinceBest = state.sinceBest;
  }

  /** The epoch with the best validation loss, 0 before any. */
  get bestEpoch(): number {
    return this.best;
  }
}
