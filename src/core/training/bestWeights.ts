import * as tf from '@tensorflow/tfjs';
import type { Training } from '../config/experimentConfig.generated';
import { EarlyStopping } from './earlyStopping';
import type { EpochRecord } from './events';

/** Early stopping with a copy of the best epoch's weights, to put back when it stops the run. */
export class BestWeights {
  private readonly stopping: EarlyStopping;
  private snapshot: tf.Tensor[] | undefined;

  constructor(
    private readonly model: tf.LayersModel,
    patience: number | undefined,
    minDelta: number,
  ) {
    this.stopping = new EarlyStopping(patience, minDelta);
  }

  /**
   * Records an epoch's validation loss; returns true when it is the best so far. `snapshot: false` is for
   * epochs of an earlier session (a resumed run), whose weights are gone: early stopping then keeps the
   * final weights when the best epoch came before the resume.
   */
  record(epoch: number, valLoss: number, snapshot = true): boolean {
    if (!this.stopping.record(epoch, valLoss)) return false;
    // Only early stopping needs to roll back; without it the final weights are the result.
    this.dispose();
    if (this.stopping.patience !== undefined && snapshot) {
      this.snapshot = this.model.getWeights().map((w) => w.clone());
    }
    return true;
  }

  shouldStop(): boolean {
    return this.stopping.shouldStop();
  }

  get epoch(): number {
    return this.stopping.bestEpoch;
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

/** BestWeights for a run's early-stopping settings, counting from the losses of the epochs already done. */
export function bestWeightsFor(
  model: tf.LayersModel,
  training: Pick<Training, 'earlyStopping'>,
  history: readonly EpochRecord[],
): BestWeights {
  const best = new BestWeights(model, training.earlyStopping?.patience, training.earlyStopping?.minDelta ?? 0);
  for (const earlier of history) best.record(earlier.epoch, earlier.valLoss, false);
  return best;
}
