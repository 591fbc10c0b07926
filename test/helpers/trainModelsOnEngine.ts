/**
 * Trains every model kind a few Adam steps on one engine and prints one JSON line: for each kind the loss
 * per step and the kernels a training step ran. A child process, because the engine (and the kernels
 * registered on the wasm backend) are chosen once per process: the conv-kernel test runs it per engine.
 * Usage: node --import tsx test/helpers/trainModelsOnEngine.ts wasm|wasm-blas|cpu
 */
import * as tf from '@tensorflow/tfjs';
import type { Model } from '../../src/core/config/experimentConfig.generated';
import { initEngine, type EngineChoice } from '../../src/core/engine/selectEngine';
import { buildDenoiser } from '../../src/core/models/buildDenoiser';

const kinds: Model[] = [
  { type: 'conv', filters: [8, 16], kernelSize: 3, activation: 'relu', outputActivation: 'sigmoid' },
  { type: 'dncnn', depth: 4, filters: 8, batchNorm: true },
  { type: 'unet', filters: 4, levels: 2 },
  { type: 'vae', hiddenSizes: [64, 32], latentSize: 4, klWeight: 1, activation: 'relu' },
];

async function main(): Promise<void> {
  const choice = (process.argv[2] ?? 'auto') as EngineChoice;
  const steps = Number(process.argv[3] ?? 5);
  const results = [];
  let engineName = '';
  for (const config of kinds) {
    engineName = (await initEngine(choice, 0)).name;
    const d = buildDenoiser(config, { height: 16, width: 16 }, 1);
    const x = tf.randomUniform([8, 256], 0, 1, 'float32', 5) as tf.Tensor2D;
    const optimizer = tf.train.adam(0.01);
    const step = () =>
      optimizer.minimize(() => {
        const { output, extraLoss } = d.trainForward(x);
        const loss = tf.losses.meanSquaredError(x, output) as tf.Scalar;
        return extraLoss ? (tf.add(loss, extraLoss) as tf.Scalar) : loss;
      }, true) as tf.Scalar;
    const losses: number[] = [];
    const profile = await tf.profile(() => {
      const loss = step();
      losses.push(loss.dataSync()[0]);
      loss.dispose();
    });
    for (let i = 1; i < steps; i++) {
      const loss = step();
      losses.push(loss.dataSync()[0]);
      loss.dispose();
    }
    results.push({ type: config.type, losses, kernels: [...new Set(profile.kernelNames)].sort() });
    optimizer.dispose();
    x.dispose();
    d.model.dispose();
  }
  process.stdout.write(`${JSON.stringify({ engine: engineName, results })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
