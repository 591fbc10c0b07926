import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { Training } from '../../src/core/config/experimentConfig.generated';
import type { ImageSet } from '../../src/core/data/imageSet';
import type { Denoiser } from '../../src/core/models/denoiser';
import { trainDenoiser } from '../../src/core/training/trainer';
import type { TrainingEvent } from '../../src/core/training/events';

/** Kernels and biases layer by layer (model.getWeights() puts frozen layers' weights last). */
export const weightsInLayerOrder = (model: tf.LayersModel) =>
  model.layers.flatMap((l) => l.getWeights().map((w) => w.dataSync().slice() as Float32Array));

/** The largest difference between two weight lists, relative where a weight is above 1. */
export function worstDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((w, i) => w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j]) / Math.max(1, Math.abs(v))))));
  return worst;
}

/**
 * Trains the denoiser on noisy -> clean, through the tape or on the direct BLAS path, and returns the
 * result, the final weights, the events and the tensor count after each epoch; disposes the model.
 */
export async function trainOnce(
  denoiser: Denoiser,
  training: Training,
  directSteps: boolean,
  noisy: ImageSet,
  clean: ImageSet,
) {
  const events: TrainingEvent[] = [];
  const tensorCounts: number[] = [];
  const result = await trainDenoiser({
    denoiser,
    training,
    directSteps,
    trainPairs: () => ({ inputs: noisy, targets: clean }),
    valPairs: { inputs: noisy, targets: clean },
    onEvent: (e) => events.push(e),
    afterEpoch: () => void tensorCounts.push(tf.memory().numTensors),
  });
  const weights = weightsInLayerOrder(denoiser.model);
  denoiser.model.dispose();
  return { result, weights, events, tensorCounts };
}

type EpochLosses = { result: { epochs: readonly { trainLoss: number; valLoss: number }[] } };

/** Every epoch's train and validation loss of the direct steps within a relative 1e-4 of the tape's. */
export function assertSameEpochLosses(tape: EpochLosses, direct: EpochLosses): void {
  tape.result.epochs.forEach((epoch, i) => {
    const other = direct.result.epochs[i];
    for (const key of ['trainLoss', 'valLoss'] as const)
      assert.ok(
        Math.abs(epoch[key] - other[key]) / epoch[key] < 1e-4,
        `epoch ${i + 1} ${key === 'trainLoss' ? 'train' : 'val'} loss ${epoch[key]} vs ${other[key]}`,
      );
  });
}
