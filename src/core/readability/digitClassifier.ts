import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { shippedAsset } from '../files/shippedAsset';
import type { ImageSet } from '../data/imageSet';

/** Where the shipped classifier lives, relative to the package root. */
export const DIGIT_CLASSIFIER_DIR = join('models', 'digit-classifier');

/**
 * The shipped classifier's folder: DENOISE_DIGIT_CLASSIFIER when set, else the first models/digit-classifier
 * found walking up from this file (dist/ in the bundled CLI and extension, src/core/readability/ under tsx).
 */
export function digitClassifierDir(): string | undefined {
  const override = process.env.DENOISE_DIGIT_CLASSIFIER;
  if (override) return resolve(override);
  return shippedAsset(DIGIT_CLASSIFIER_DIR, 'model.json');
}

let cached: Promise<tf.LayersModel> | undefined;

/** Loads the shipped classifier once per process (a few hundred kB). */
export function loadDigitClassifier(): Promise<tf.LayersModel> {
  if (!cached) {
    const dir = digitClassifierDir();
    if (!dir) {
      return Promise.reject(
        new Error(
          `the digit classifier (${DIGIT_CLASSIFIER_DIR}/model.json) is missing: reinstall, or run scripts/train-digit-classifier.ts`,
        ),
      );
    }
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const weights = readFileSync(join(dir, 'weights.bin'));
    cached = tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      }),
    );
  }
  return cached;
}

/** The predicted digit of every image, in batches so 10,000 images never sit in one tensor graph. */
export function classifyDigits(model: tf.LayersModel, set: ImageSet, batchSize = 500): Uint8Array {
  if (set.height !== 28 || set.width !== 28)
    throw new RangeError(`the digit classifier reads 28x28 images, not ${set.width}x${set.height}`);
  const out = new Uint8Array(set.count);
  for (let start = 0; start < set.count; start += batchSize) {
    const n = Math.min(batchSize, set.count - start);
    const predicted = tf.tidy(() => {
      const x = tf.tensor4d(set.pixels.subarray(start * 784, (start + n) * 784), [n, 28, 28, 1]);
      return (model.predict(x) as tf.Tensor).argMax(-1);
    });
    out.set(predicted.dataSync(), start);
    predicted.dispose();
  }
  return out;
}

/**
 * Readability: the share of images (0..1) the classifier reads as their true digit. Undefined when the set
 * has no labels or is not 28x28, since there is then nothing to score against.
 */
export async function readability(set: ImageSet): Promise<number | undefined> {
  if (!set.labels || set.height !== 28 || set.width !== 28 || set.count === 0) return undefined;
  const predicted = classifyDigits(await loadDigitClassifier(), set);
  let right = 0;
  for (let i = 0; i < set.count; i++) if (predicted[i] === set.labels[i]) right++;
  return right / set.count;
}
