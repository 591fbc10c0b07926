import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadConfig } from '../src/core/config/loadConfig';
import { loadMnist } from '../src/core/data/mnist';
import { initEngine } from '../src/core/engine/selectEngine';
import { buildDenoiser } from '../src/core/models/buildDenoiser';
import { applyNoise } from '../src/core/noise/applyNoise';
import { trainDenoiser } from '../src/core/training/trainer';

const MB = 1024 * 1024;

/**
 * `npm run bench -- --memory`: the seed's best dense model (examples/seed-best.denoise.json) trained on all
 * 60,000 real MNIST training digits with its noise, on wasm-blas, printing resident memory and live
 * tensors after each epoch, then the peak. Issue 3's target: peak under 1.5 GB and no growth per epoch.
 */
export async function memoryBench(epochs: number, threads: number, json: boolean): Promise<void> {
  const { config } = loadConfig(path.join(__dirname, '..', 'examples', 'seed-best.denoise.json'), [
    `training.epochs=${epochs}`,
  ]);
  const engine = await initEngine('wasm-blas', threads);
  const mnist = await loadMnist();
  const trainNoisy = applyNoise(mnist.train, config.noise, 'train');
  const testNoisy = applyNoise(mnist.test, config.noise, 'test');
  const denoiser = buildDenoiser(config.model, mnist.train, config.training.seed);
  const rows: { epoch: number; rssMB: number; numTensors: number; seconds: number }[] = [];
  const log = (text: string) => {
    if (!json) console.log(text);
  };
  log(
    `full-MNIST memory check: ${denoiser.describe()}, ${mnist.train.count} training images, ${epochs} epochs, ` +
      `engine ${engine.name} (${engine.threads} thread(s))`,
  );
  log(`before training: RSS ${(process.memoryUsage().rss / MB).toFixed(0)} MB, ${tf.memory().numTensors} tensors`);
  const result = await trainDenoiser({
    denoiser,
    training: config.training,
    trainPairs: () => ({ inputs: trainNoisy, targets: mnist.train }),
    valPairs: { inputs: testNoisy, targets: mnist.test },
    afterEpoch: (record) => {
      const row = {
        epoch: record.epoch,
        rssMB: process.memoryUsage().rss / MB,
        numTensors: tf.memory().numTensors,
        seconds: record.seconds,
      };
      rows.push(row);
      log(
        `epoch ${row.epoch}: RSS ${row.rssMB.toFixed(0)} MB, ${row.numTensors} tensors, ${row.seconds.toFixed(1)} s, val loss ${record.valLoss.toFixed(4)}`,
      );
    },
  });
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  log(`peak RSS ${peakRssMB.toFixed(0)} MB; ${result.samplesPerSecond.toFixed(0)} samples/s while training`);
  if (json) {
    console.log(
      JSON.stringify(
        {
          engine: engine.name,
          threads: engine.threads,
          images: mnist.train.count,
          epochs: rows,
          peakRssMB,
          samplesPerSecond: result.samplesPerSecond,
        },
        null,
        2,
      ),
    );
  }
}
