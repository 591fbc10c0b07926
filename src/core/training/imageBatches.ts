import type { Training } from '../config/experimentConfig.generated';
import { pixelsPerImage, type ImageSet } from '../data/imageSet';
import { BatchPlan, gatherRows } from './batches';
import type { BatchSource, EpochBatches } from './batchSource';
import { stateField, type StateValue } from './trainingState';

/** Model inputs and the outputs it should produce, image for image. */
export interface TrainingPairs {
  readonly inputs: ImageSet;
  readonly targets: ImageSet;
}

/**
 * Whole training images in a seeded shuffled order per epoch, batchSize at a time, copied into two reused
 * buffers. `trainPairs` gives an epoch's pairs (fresh noise each epoch gives new inputs); the first epoch's
 * are read at once, for the image size and count. Its orders come from streams derived from the seed and
 * the epoch (batches.ts), so a checkpoint needs only the sizes, which restoreState checks.
 */
export function shuffledImageBatches(
  trainPairs: (epoch: number) => TrainingPairs,
  firstEpoch: number,
  training: Pick<Training, 'batchSize' | 'seed'>,
): BatchSource {
  const first = trainPairs(firstEpoch);
  const size = pixelsPerImage(first.inputs);
  const plan = new BatchPlan(first.inputs.count, training.batchSize, training.seed);
  const inputBuffer = new Float32Array(training.batchSize * size);
  const targetBuffer = new Float32Array(training.batchSize * size);
  const shape = { source: 'shuffledImages', images: first.inputs.count, pixels: size, batchSize: training.batchSize };
  return {
    batchesPerEpoch: plan.batchesPerEpoch,
    resumeState: () => ({ ...shape }),
    restoreState(state: StateValue) {
      for (const [key, value] of Object.entries(shape)) {
        const saved = stateField(state, key, 'batch source');
        if (saved !== value) {
          throw new Error(
            `the checkpoint was taken with ${key} ${JSON.stringify(saved)}, this run has ${JSON.stringify(value)}`,
          );
        }
      }
    },
    epoch(epoch: number): EpochBatches {
      const pairs = epoch === firstEpoch ? first : trainPairs(epoch);
      const order = plan.order(epoch);
      return {
        batch(b: number) {
          const indices = plan.batchIndices(order, b);
          return {
            inputs: gatherRows(pairs.inputs.pixels, size, indices, inputBuffer),
            targets: gatherRows(pairs.targets.pixels, size, indices, targetBuffer),
            count: indices.length,
          };
        },
      };
    },
  };
}
