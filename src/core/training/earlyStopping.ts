import * as tf from '@tensorflow/tfjs';

/** Tracks the best validation loss, keeps a copy of the best weights, and says when to stop. */
export class BestWeights {
  private bestLoss = Infinity;
  private bestEpoch = 0;
  private snapshot: tf.Tensor[] | undefined;
  private sinceBest = 0;

  constructor(
    private readonly model: tf.LayersModel,
    private readonly patience: number | undefined,
    private readonly minDelta: number,
  ) {}

  /**
   * Records an epoch's validation loss; returns true when it is the best so far. `snapshot: false` is for
   * epochs of an earlier session (a resumed run), whose weights are gone: early stopping then keeps the
   * final weights when the best epoch came before the resume.
   */
  record(epoch: number, valLoss: number, snapshot = true): boolean {
    if (valLoss < this.bestLoss - this.minDelta) {
      this.bestLoss = valLoss;
      this.bestEpoch = epoch;
      this.sinceBest = 0;
      // Only early stopping needs to roll back; without it the final weights are the result.
      this.dispose();
      if (this.patience !== undefined && snapshot) {
        this.snapshot = this.model.getWeights().map((w) => w.clone());
      }
      return true;
    }
    this.sinceBest++;
    return false;
  }

  shouldStop(): boolean {
    return this.patience !== undefined && this.sinceBest >= this.patience;
  }

  get epoch(): number {
    return this.bestEpoch;
  }

  /** Puts the best weights back into the model (early stopping's promise). */
  restore(): void {
    if (this.snapshot) this.model.setWeights(this.snapshot);
  }

  dispose(): void {
    this.snapshot?.forEach((t) => t.dispose());
    this.snapshot = undefined;
  }
}
