import type { ExperimentConfig } from '../config/experimentConfig.generated';
import type { DatasetSplits, ImageSet } from '../data/imageSet';
import { applyNoise } from '../noise/applyNoise';
import type { TrainingPairs } from '../training/imageBatches';

/** Clean and noisy versions of every split, and the training pairs the config asks for. */
export interface NoisyData {
  readonly clean: DatasetSplits;
  readonly noisy: { readonly val: ImageSet; readonly test: ImageSet };
  /** Training pairs of an epoch (1-based); new noise each epoch when noise.mode is freshEachEpoch. */
  readonly trainPairs: (epoch: number) => TrainingPairs;
  readonly valPairs: TrainingPairs;
  /** The noisy training images of the first epoch (for the final train-split evaluation). */
  readonly noisyTrain: () => ImageSet;
}

/**
 * Adds the configured noise to each split. Validation and test noise is drawn once from its own seeded
 * stream; training noise is drawn once (the seed report's way) or again for every epoch.
 */
export function makeNoisyData(config: ExperimentConfig, clean: DatasetSplits): NoisyData {
  const { noise, training } = config;
  const val = applyNoise(clean.val, noise, 'val');
  const test = applyNoise(clean.test, noise, 'test');
  let cachedEpochStream = -1;
  let cachedTrain: ImageSet | undefined;
  const noisyTrainFor = (epoch: number): ImageSet => {
    const stream = noise.mode === 'freshEachEpoch' ? epoch - 1 : 0;
    if (stream !== cachedEpochStream || !cachedTrain) {
      cachedTrain = undefined; // let the previous epoch's copy be collected before making the next
      cachedTrain = applyNoise(clean.train, noise, 'train', stream);
      cachedEpochStream = stream;
    }
    return cachedTrain as ImageSet;
  };
  const pick = (kind: ExperimentConfig['training']['target'], cleanSet: ImageSet, noisySet: () => ImageSet) => {
    // validateConfig keeps the self-supervised targets on patch training (patchBatches.ts).
    if (kind === 'noise2noise' || kind === 'noise2void') throw new Error(`target '${kind}' needs patch training`);
    return kind === 'clean' ? cleanSet : noisySet();
  };
  return {
    clean,
    noisy: { val, test },
    trainPairs: (epoch) => ({
      inputs: pick(training.input, clean.train, () => noisyTrainFor(epoch)),
      targets: pick(training.target, clean.train, () => noisyTrainFor(epoch)),
    }),
    valPairs: {
      inputs: pick(training.input, clean.val, () => val),
      targets: pick(training.target, clean.val, () => val),
    },
    noisyTrain: () => noisyTrainFor(1),
  };
}
