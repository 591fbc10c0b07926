import type * as tf from '@tensorflow/tfjs';
import type { Model } from '../config/experimentConfig.generated';
import type { SeedCounter } from '../random/seedCounter';

/**
 * A trained or trainable denoising network. Inputs and outputs are always flat images
 * [batch, height*width*channels] with pixels in [0,1]; convolutional kinds reshape inside the model.
 */
export interface Denoiser {
  readonly kind: Model['type'];
  /** The whole network as one LayersModel: what is saved, loaded and frozen. */
  readonly model: tf.LayersModel;
  readonly height: number;
  readonly width: number;
  /**
   * The random stream trainForward draws from (a VAE's latent noise), absent when it draws none; a checkpoint
   * saves its position. A model that adds one (dropout, say) must expose it here to resume exactly.
   */
  readonly trainingNoise?: SeedCounter;
  /**
   * VAE only: what a training path that does not call trainForward (the oneDNN plan) needs to take the same step:
   * the noise input drawn as trainForward draws it, and the KL term's weight.
   */
  readonly latentTraining?: LatentTraining;
  /** Values per pixel (1 gray, 3 RGB); inputs are [batch, height*width*channels], channels last. */
  readonly channels: number;
  /** Forward pass while training; extraLoss (a VAE's KL term) is added to the reconstruction loss. */
  trainForward(x: tf.Tensor2D): { output: tf.Tensor2D; extraLoss?: tf.Scalar };
  /** Deterministic forward pass for evaluation, clipped to [0,1]. */
  predict(x: tf.Tensor2D): tf.Tensor2D;
  encoderLayers(): tf.layers.Layer[];
  decoderLayers(): tf.layers.Layer[];
  /** VAE only: images decoded from latent vectors drawn from N(0,1). */
  sampleImages?(n: number, seed: number): tf.Tensor2D;
  /** VAE only: images along the straight line between the latent means of images a and b. */
  interpolate?(a: tf.Tensor2D, b: tf.Tensor2D, steps: number): tf.Tensor2D;
  /** One line for logs, e.g. "dense 784-642-500-642-784 relu/sigmoid, 1,332,906 parameters". */
  describe(): string;
}

export interface ImageShape {
  readonly height: number;
  readonly width: number;
  /** Values per pixel, from the data (dataset.channels); absent means 1 (gray). */
  readonly channels?: number;
}

/** A VAE's training terms besides its layers (Denoiser.latentTraining). */
export interface LatentTraining {
  /** The model's second input, the noise eps: this many values per image. */
  readonly size: number;
  /** The indices in model.outputs of the latent mean and spread (sigma) the KL term reads. */
  readonly meanOutput: number;
  readonly spreadOutput: number;
  /** The KL term's factor in the loss: klWeight per pixel (klDivergence's value times this is added). */
  readonly klScale: number;
  /** The next training draw of eps for n images (n rows of `size`), from trainingNoise as trainForward draws it. */
  drawNoise(n: number): Float32Array;
}
