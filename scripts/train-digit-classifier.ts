/**
 * Trains the digit classifier that Denoise Lab ships in models/digit-classifier/ to judge readability:
 * a small CNN on the 60,000 clean MNIST training digits, checked on the 10,000 clean test digits.
 * Run: node --import tsx scripts/train-digit-classifier.ts [--epochs 3]
 * The result is deterministic up to the engine's floating-point order (seeded initialisation and shuffling).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist } from '../src/core/data/mnist';
import { initEngine } from '../src/core/engine/selectEngine';
import { DIGIT_CLASSIFIER_DIR, classifyDigits } from '../src/core/readability/digitClassifier';

const epochsArg = process.argv.indexOf('--epochs');
const epochs = epochsArg > 0 ? Number(process.argv[epochsArg + 1]) : 3;

function buildClassifier(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 16,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(4) }),
    ],
  });
}

async function main(): Promise<void> {
  const engine = await initEngine('auto');
  const { train, test } = await loadMnist();
  if (!train.labels || !test.labels) throw new Error('MNIST labels are missing');
  const model = buildClassifier();
  model.compile({ optimizer: tf.train.adam(0.002), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.tensor4d(train.pixels, [train.count, 28, 28, 1]);
  const y = tf.tensor1d(Float32Array.from(train.labels), 'float32');
  const started = Date.now();
  await model.fit(x, y, {
    epochs,
    batchSize: 128,
    shuffle: true,
    callbacks: {
      onEpochEnd: (epoch, logs) =>
        console.log(`epoch ${epoch + 1}/${epochs}: loss ${logs?.loss?.toFixed(4)} accuracy ${logs?.acc?.toFixed(4)}`),
    },
  });
  const predicted = classifyDigits(model, test);
  let right = 0;
  for (let i = 0; i < test.count; i++) if (predicted[i] === test.labels[i]) right++;
  const accuracy = right / test.count;
  console.log(
    `clean MNIST test accuracy ${(100 * accuracy).toFixed(2)}% after ${((Date.now() - started) / 1000).toFixed(0)} s on ${engine.name}`,
  );
  if (accuracy < 0.985) throw new Error('below the 98.5% the readability score needs; not saved');
  const dir = join(__dirname, '..', DIGIT_CLASSIFIER_DIR);
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      writeFileSync(join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers} by scripts/train-digit-classifier.ts`,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        denoiseLab: { kind: 'digit-classifier', cleanTestAccuracy: accuracy, epochs },
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  console.log(`saved ${dir}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
