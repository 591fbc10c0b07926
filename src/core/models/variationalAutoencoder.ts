import * as tf from '@tensorflow/tfjs';
import type { VaeModel } from '../config/experimentConfig.generated';
import type { Denoiser, ImageShape } from './denoiser';
import { activate, formatCount, layersNamed, SeededInit } from './layerHelpers';
import { denseOnData } from './dataInputLayers';
import { SeedCounter } from '../random/seedCounter';

/**
 * The VAE as one LayersModel of standard layers (so it saves and loads like any other):
 * inputs [image, eps], outputs [reconstruction, mu, sigma], with z = mu + sigma * eps.
 * The noise eps is an input rather than drawn inside the model, so prediction can pass eps = 0
 * (the latent mean) and training can draw it from a seeded stream.
 */
export function buildVariationalAutoencoder(config: VaeModel, image: ImageShape, seed: number): Denoiser {
  const pixels = image.height * image.width;
  const init = new SeededInit(seed);
  const input = tf.input({ shape: [pixels], name: 'image' });
  const eps = tf.input({ shape: [config.latentSize], name: 'eps' });
  let x: tf.SymbolicTensor = input;
  config.hiddenSizes.forEach((units, i) => {
    const dense = i === 0 ? denseOnData : tf.layers.dense;
    x = dense({ units, kernelInitializer: init.kernel(), name: `encoder_dense_${i}` }).apply(x) as tf.SymbolicTensor;
    x = activate(x, config.activation, `encoder_act_${i}`);
  });
  const mu = tf.layers
    .dense({ units: config.latentSize, kernelInitializer: init.kernel(), name: 'encoder_mu' })
    .apply(x) as tf.SymbolicTensor;
  const sigma = tf.layers
    .dense({
      units: config.latentSize,
      activation: 'softplus',
      kernelInitializer: init.kernel(),
      name: 'encoder_sigma',
    })
    .apply(x) as tf.SymbolicTensor;
  const spread = tf.layers.multiply({ name: 'latent_spread' }).apply([sigma, eps]) as tf.SymbolicTensor;
  const z = tf.layers.add({ name: 'latent_z' }).apply([mu, spread]) as tf.SymbolicTensor;
  const decoderSizes = [...config.hiddenSizes].reverse();
  let y = z;
  decoderSizes.forEach((units, i) => {
    y = tf.layers
      .dense({ units, kernelInitializer: init.kernel(), name: `decoder_dense_${i}` })
      .apply(y) as tf.SymbolicTensor;
    y = activate(y, config.activation, `decoder_act_${i}`);
  });
  const recon = tf.layers
    .dense({ units: pixels, activation: 'sigmoid', kernelInitializer: init.kernel(), name: 'decoder_output' })
    .apply(y) as tf.SymbolicTensor;
  const model = tf.model({ inputs: [input, eps], outputs: [recon, mu, sigma], name: 'vae' });
  return wrapVariationalAutoencoder(model, config, image, seed);
}

/**
 * KL(N(mu, sigma^2) || N(0, 1)) summed over the latent dimensions and averaged over the batch: the VAE's
 * extra loss before its weight (LatentTraining.klScale).
 */
export function klDivergence(mu: tf.Tensor2D, sigma: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() =>
    tf.mean(
      tf.sum(
        tf.mul(0.5, tf.sub(tf.add(tf.square(mu), tf.square(sigma)), tf.add(tf.mul(2, tf.log(tf.add(sigma, 1e-7))), 1))),
        1,
      ),
    ),
  );
}

/** The decoder alone (latent -> image), sharing the VAE's own layers and weights. */
function decoderOf(model: tf.LayersModel, latentSize: number): tf.LayersModel {
  const z = tf.input({ shape: [latentSize], name: 'latent' });
  let y: tf.SymbolicTensor = z;
  for (const layer of model.layers.filter((l) => l.name.startsWith('decoder_')))
    y = layer.apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: z, outputs: y, name: 'vae_decoder' });
}

/** Wraps a built or loaded VAE model as a Denoiser (the KL term, sampling, interpolation). */
export function wrapVariationalAutoencoder(
  model: tf.LayersModel,
  config: VaeModel,
  image: ImageShape,
  seed: number,
): Denoiser {
  const pixels = image.height * image.width;
  const decoder = decoderOf(model, config.latentSize);
  // One seed per training batch; a checkpoint saves the counter, so a resumed run draws the same noise.
  const latentNoise = new SeedCounter(seed * 7919);
  const drawNoise = (n: number) =>
    tf.randomNormal([n, config.latentSize], 0, 1, 'float32', latentNoise.next()) as tf.Tensor2D;
  // The KL term sits on the per-pixel scale of the trainer's mean reconstruction loss: the sum of both is then
  // the standard ELBO divided by the number of pixels.
  const klScale = config.klWeight / pixels;
  const forward = (x: tf.Tensor2D, eps: tf.Tensor2D, training: boolean) =>
    model.apply([x, eps], { training }) as tf.Tensor2D[];
  const encodeMean = (x: tf.Tensor2D) => forward(x, tf.zeros([x.shape[0], config.latentSize]) as tf.Tensor2D, false)[1];
  return {
    kind: 'vae',
    model,
    height: image.height,
    channels: 1,
    width: image.width,
    trainingNoise: latentNoise,
    trainForward: (x) => {
      const [output, mu, sigma] = forward(x, drawNoise(x.shape[0]), true);
      return { output, extraLoss: tf.mul(klDivergence(mu, sigma), klScale) as tf.Scalar };
    },
    latentTraining: {
      size: config.latentSize,
      meanOutput: 1,
      spreadOutput: 2,
      klScale,
      drawNoise: (n) => tf.tidy(() => drawNoise(n).dataSync().slice() as Float32Array),
    },
    predict: (x) => tf.tidy(() => forward(x, tf.zeros([x.shape[0], config.latentSize]) as tf.Tensor2D, false)[0]),
    encoderLayers: () => layersNamed(model, 'encoder_'),
    decoderLayers: () => layersNamed(model, 'decoder_'),
    sampleImages: (n, sampleSeed) =>
      tf.tidy(
        () => decoder.predict(tf.randomNormal([n, config.latentSize], 0, 1, 'float32', sampleSeed)) as tf.Tensor2D,
      ),
    interpolate: (a, b, steps) =>
      tf.tidy(() => {
        const [ma, mb] = [encodeMean(a), encodeMean(b)];
        const t = tf.linspace(0, 1, steps).reshape([steps, 1]);
        const line = tf.add(tf.mul(tf.sub(1, t), ma), tf.mul(t, mb));
        return decoder.predict(line) as tf.Tensor2D;
      }),
    describe: () =>
      `VAE ${pixels}-${config.hiddenSizes.join('-')}-z${config.latentSize} (KL weight ${config.klWeight}), ${formatCount(model.countParams())} parameters`,
  };
}
