import * as tf from '@tensorflow/tfjs';
import type { Training } from '../config/experimentConfig.generated';
import { EarlyStopping } from './earlyStopping';
import type { EpochRecord } from './events';
import { stateField, stateNumber, type StateValue } from './trainingState';

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

  /** Early stopping's counts and a copy of the best epoch's weights (null when none is kept). */
  resumeState(): StateValue {
    const snapshot = this.snapshot ? this.snapshot.map((t) => Float32Array.from(t.dataSync() as Float32Array)) : null;
    return { ...this.stopping.state(), snapshot };
  }

  /** Puts a resumeState() back: the counts, and the best weights shaped like the model's. */
  restoreState(state: StateValue): void {
    this.stopping.restore({
      bestLoss: stateNumber(state, 'bestLoss', 'early stopping state'),
      bestEpoch: stateNumber(state, 'bestEpoch', 'early stopping state'),
      sinceBest: stateNumber(state, 'sinceBest', 'early stopping state'),
    });
    this.dispose();
    const snapshot = stateField(state, 'snapshot', 'early stopping state') as Float32Array[] | null;
    if (!snapshot) return;
    const shapes = this.model.getWeights().map((w) => w.shape);
    if (
      snapshot.length !== shapes.length ||
      snapshot.some((a, i) => a.length !== shapes[i].reduce((x, y) => x * y, 1))
    ) {
      throw new Error(
        `the checkpoint's best weights (${snapshot.length} arrays) do not fit this model (${shapes.length})`,
      );
    }
    this.snapshot = snapshot.map((a, i) => tf.tensor(a, shapes[i]));
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
