import type { Noise, Training } from '../config/experimentConfig.generated';
import { addPatchNoise } from '../noise/imageNoise';
import { SeededRandom } from '../random/seededRandom';
import { PatchSampler } from '../data/patchSampler';
import type { RealImage } from '../data/realImage';
import { stateField, type StateValue } from './trainingState';

/** One mini-batch of patches: `count` rows of model inputs and their targets (flat, channels last). */
export interface PatchBatch {
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  readonly count: number;
}

/** The patch batches of one epoch; batch b's arrays are reused by the next call. */
export interface PatchEpoch {
  batch(b: number): PatchBatch;
}

/**
 * Training batches cut from whole images: training.patchesPerEpoch random patches of training.patchSize a
 * side per epoch, batchSize at a time, each with fresh noise. Batch b of epoch e is drawn from streams of
 * its own (training.seed and noise.seed with e and b), so it is the same whichever batches came before: a
 * resumed run trains what an uninterrupted one would.
 */
export class PatchBatches {
  readonly batchesPerEpoch: number;
  private readonly sampler: PatchSampler;
  private readonly clean: Float32Array;
  private readonly noisy: Float32Array;

  constructor(
    images: readonly RealImage[],
    private readonly training: Pick<
      Training,
      'patchSize' | 'patchesPerEpoch' | 'augment' | 'batchSize' | 'seed' | 'input' | 'target'
    >,
    private readonly noise: Noise,
  ) {
    this.sampler = new PatchSampler(images, training.patchSize, training.augment);
    this.batchesPerEpoch = Math.ceil(training.patchesPerEpoch / training.batchSize);
    this.clean = new Float32Array(training.batchSize * this.sampler.patchValues);
    this.noisy = new Float32Array(training.batchSize * this.sampler.patchValues);
  }

  get channels(): number {
    return this.sampler.channels;
  }

  /** Every batch's streams derive from the seeds, the epoch and the batch: a checkpoint needs only the sizes. */
  resumeState(): StateValue {
    const { patchSize, patchesPerEpoch, batchSize } = this.training;
    return { source: 'patches', patchSize, patchesPerEpoch, batchSize, images: this.sampler.imageCount };
  }

  restoreState(state: StateValue): void {
    const now = this.resumeState() as Record<string, StateValue>;
    for (const [key, value] of Object.entries(now)) {
      const saved = stateField(state, key, 'patch batches');
      if (saved !== value) {
        throw new Error(
          `the checkpoint was taken with ${key} ${JSON.stringify(saved)}, this run has ${JSON.stringify(value)}`,
        );
      }
    }
  }

  epoch(epoch: number): PatchEpoch {
    return { batch: (b) => this.batch(epoch, b) };
  }

  private batch(epoch: number, b: number): PatchBatch {
    const { batchSize, patchesPerEpoch } = this.training;
    const count = Math.min(batchSize, patchesPerEpoch - b * batchSize);
    const values = this.sampler.patchValues;
    const where = SeededRandom.derive(this.training.seed, `patches/${epoch}/${b}`);
    const noiseRng = SeededRandom.derive(this.noise.seed, `train-patches/${epoch}/${b}`);
    for (let k = 0; k < count; k++) {
      this.sampler.sample(where, this.clean, k * values);
      const patch = this.noisy.subarray(k * values, (k + 1) * values);
      patch.set(this.clean.subarray(k * values, (k + 1) * values));
      addPatchNoise(patch, this.sampler.side, this.noise, noiseRng);
    }
    const n = count * values;
    const pick = (kind: 'noisy' | 'clean') => (kind === 'clean' ? this.clean : this.noisy).subarray(0, n);
    return { inputs: pick(this.training.input), targets: pick(this.training.target), count };
  }
}
