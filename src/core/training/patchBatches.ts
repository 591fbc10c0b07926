import type { Noise, Training } from '../config/experimentConfig.generated';
import { addPatchNoise } from '../noise/imageNoise';
import { SeededRandom } from '../random/seededRandom';
import { PatchSampler } from '../data/patchSampler';
import type { RealImage } from '../data/realImage';
import { stateField, type StateValue } from './trainingState';
import { maskBlindSpots } from './blindSpotMask';

/** One mini-batch of patches: `count` rows of model inputs and their targets (flat, channels last). */
export interface PatchBatch {
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  readonly count: number;
  /** Noise2Void: 1 on the masked values the loss counts, 0 elsewhere (absent: every value counts). */
  readonly weights?: Float32Array;
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
 *
 * Target noise2noise adds a second, independent draw of the noise to the same clean patch as the target;
 * target noise2void masks the noisy patch (blindSpotMask.ts) and targets the unmasked noisy patch, with the
 * loss on the masked pixels only. Neither ever hands a clean patch to the loss.
 */
export class PatchBatches {
  readonly batchesPerEpoch: number;
  private readonly sampler: PatchSampler;
  private readonly clean: Float32Array;
  private readonly noisy: Float32Array;
  /** The second noisy copy (noise2noise) or the masked input (noise2void). */
  private readonly extra?: Float32Array;
  private readonly weights?: Float32Array;

  constructor(
    images: readonly RealImage[],
    private readonly training: Pick<
      Training,
      'patchSize' | 'patchesPerEpoch' | 'augment' | 'batchSize' | 'seed' | 'input' | 'target' | 'maskFraction'
    >,
    private readonly noise: Noise,
  ) {
    this.sampler = new PatchSampler(images, training.patchSize, training.augment);
    this.batchesPerEpoch = Math.ceil(training.patchesPerEpoch / training.batchSize);
    this.clean = new Float32Array(training.batchSize * this.sampler.patchValues);
    this.noisy = new Float32Array(training.batchSize * this.sampler.patchValues);
    const selfSupervised = training.target === 'noise2noise' || training.target === 'noise2void';
    if (selfSupervised) this.extra = new Float32Array(this.noisy.length);
    if (training.target === 'noise2void') this.weights = new Float32Array(this.noisy.length);
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
    const { batchSize, patchesPerEpoch, target } = this.training;
    const count = Math.min(batchSize, patchesPerEpoch - b * batchSize);
    const values = this.sampler.patchValues;
    const side = this.sampler.side;
    const where = SeededRandom.derive(this.training.seed, `patches/${epoch}/${b}`);
    const noiseRng = SeededRandom.derive(this.noise.seed, `train-patches/${epoch}/${b}`);
    // Streams of their own, so a plain run's patches and noise are the same whatever the target.
    const targetNoiseRng = SeededRandom.derive(this.noise.seed, `train-target-patches/${epoch}/${b}`);
    const maskRng = SeededRandom.derive(this.training.seed, `blind-spots/${epoch}/${b}`);
    const shape = { height: side, width: side, channels: this.sampler.channels };
    for (let k = 0; k < count; k++) {
      const range = [k * values, (k + 1) * values] as const;
      this.sampler.sample(where, this.clean, k * values);
      const patch = this.noisy.subarray(...range);
      patch.set(this.clean.subarray(...range));
      addPatchNoise(patch, side, this.noise, noiseRng);
      if (target === 'noise2noise') {
        const second = this.extra!.subarray(...range);
        second.set(this.clean.subarray(...range));
        addPatchNoise(second, side, this.noise, targetNoiseRng);
      } else if (target === 'noise2void') {
        maskBlindSpots(
          patch,
          this.extra!.subarray(...range),
          this.weights!.subarray(...range),
          shape,
          this.training.maskFraction,
          maskRng,
        );
      }
    }
    const n = count * values;
    const rows = (a: Float32Array) => a.subarray(0, n);
    if (target === 'noise2noise') return { inputs: rows(this.noisy), targets: rows(this.extra!), count };
    if (target === 'noise2void') {
      return { inputs: rows(this.extra!), targets: rows(this.noisy), weights: rows(this.weights!), count };
    }
    const pick = (kind: 'noisy' | 'clean') => rows(kind === 'clean' ? this.clean : this.noisy);
    return { inputs: pick(this.training.input), targets: pick(target), count };
  }
}
