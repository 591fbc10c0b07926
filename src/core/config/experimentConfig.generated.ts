// GENERATED from schema/denoise-experiment.schema.json by scripts/generate-config-types.mjs. Do not edit.

/**
 * One noise step. Its type decides which other fields it takes.
 */
export type NoiseStep =
  | GaussianNoise
  | SaltPepperNoise
  | PeriodicNoise
  | SpeckleNoise
  | PoissonNoise
  | Gaussian255Noise
  | PoissonGaussianNoise;
/**
 * The network that maps a noisy image to a clean one. Its type decides which other fields it takes.
 */
export type Model = DenseModel | ConvModel | DncnnModel | UnetModel | VaeModel;

/**
 * One image-denoising experiment: the data, the noise added to it, the model that removes it, and how it is trained and judged. Files named *.denoise.json are checked against this schema.
 */
export interface ExperimentConfig {
  /**
   * Path or URL of this schema, for editors outside VS Code.
   */
  $schema?: string;
  /**
   * Short name used in run folder names and tables: letters, digits, '.', '_' and '-'.
   */
  name: string;
  /**
   * Free text: what this experiment tries to show.
   */
  description: string;
  dataset: Dataset;
  noise: Noise;
  model: Model;
  training: Training;
  evaluation: Evaluation;
  output: Output;
  compute: Compute;
  sweep?: Sweep;
}
/**
 * Where the images come from and how they are split into train, validation and test sets. Pixels are scaled to [0,1].
 */
export interface Dataset {
  /**
   * mnist: the 70,000 MNIST digits shipped with Denoise Lab (offline). idx: any IDX image files (raw or .gz), e.g. Fashion-MNIST. pngFolder: a folder of PNG images, converted to grayscale and resized to imageSize. imageFolder: photographs at full resolution and any size (PNG, JPEG, TIFF 8/16 bit, WebP), gray or colour, from trainFolder, testFolder and valFolder; fully convolutional models (conv, dncnn, unet) train on random patches of them.
   */
  source: "mnist" | "idx" | "pngFolder" | "imageFolder";
  /**
   * For source idx: the IDX3 image file used for training and validation (raw or .gz).
   */
  trainImages?: string;
  /**
   * For source idx: optional IDX1 label file matching trainImages (used to judge readability).
   */
  trainLabels?: string;
  /**
   * For source idx: optional IDX3 file for the test set. Without it the test set is split off trainImages.
   */
  testImages?: string;
  /**
   * For source idx: optional IDX1 label file matching testImages.
   */
  testLabels?: string;
  /**
   * For source pngFolder: the folder whose .png files (searched recursively) are the images.
   */
  folder?: string;
  /**
   * For source imageFolder: the folder of training images (searched recursively; PNG, JPEG, TIFF, WebP). Without testFolder (or valFolder) a seeded share of it (testFraction, valFraction) is held out instead.
   */
  trainFolder?: string;
  /**
   * For source imageFolder: optional folder of validation images, measured whole after each epoch. Without it valFraction of trainFolder is set aside.
   */
  valFolder?: string;
  /**
   * For source imageFolder: optional folder of test images, denoised whole at the end (e.g. BSD68). Without it testFraction of trainFolder is held out.
   */
  testFolder?: string;
  /**
   * For source imageFolder: 1 reads every image as gray (BT.601 luma), 3 as RGB (gray files are repeated into three channels). Models take their channel count from this.
   */
  channels: 1 | 3;
  /**
   * For source imageFolder without valFolder: share of trainFolder's images (drawn with splitSeed, at least one) kept out of training for validation.
   */
  valFraction: number;
  /**
   * For source imageFolder without testFolder: share of trainFolder's images (drawn with splitSeed, at least one) held out as the test set.
   */
  testFraction: number;
  /**
   * For source imageFolder: the decoded images (32-bit floats, all splits) may take at most this many MiB. Folders holding more are refused before anything is decoded, with the estimate; raise this or use fewer images.
   */
  memoryBudgetMB: number;
  /**
   * For source pngFolder, and imageFolder with a dense or vae model: images are resized to this many pixels on each side. MNIST and IDX files keep their own size; fully convolutional models on imageFolder keep full resolution.
   */
  imageSize: number;
  /**
   * Number of training images. For MNIST they are drawn from the 60,000 training digits.
   */
  trainSize: number;
  /**
   * Number of validation images, drawn from the training pool without overlap with the training images.
   */
  valSize: number;
  /**
   * Number of test images. For MNIST they come from its separate 10,000 test digits.
   */
  testSize: number;
  /**
   * Seed for shuffling the pool before it is split: the same seed gives the same split on every machine.
   */
  splitSeed: number;
}
/**
 * The noise added to each input image: an ordered list of steps, each applied to the result of the previous one and clipped to [0,1].
 */
export interface Noise {
  /**
   * Noise steps in the order they are applied. An empty list trains on clean inputs.
   *
   * @maxItems 16
   */
  steps: NoiseStep[];
  /**
   * Seed of the noise: the same seed gives the same noisy images on every machine.
   */
  seed: number;
  /**
   * Clip the noisy image to [0,1] after each step. The DnCNN protocol does not: false keeps values beyond black and white.
   */
  clip: boolean;
  /**
   * Round the noisy image to 8 bits (multiples of 1/255) after all steps, as a saved noisy PNG would be. The DnCNN protocol does not.
   */
  quantize: boolean;
  /**
   * fixed: one noisy copy of each image, made once (the seed report's way). freshEachEpoch: new training noise every epoch (validation and test noise stay fixed).
   */
  mode: "fixed" | "freshEachEpoch";
}
/**
 * Additive Gaussian noise: each pixel z becomes z + n with n drawn from N(mean, variance).
 */
export interface GaussianNoise {
  /**
   * Additive Gaussian noise.
   */
  type: "gaussian";
  /**
   * Mean μ of the added noise (the seed report used 0).
   */
  mean: number;
  /**
   * Variance σ² of the added noise (the seed report used 0.01).
   */
  variance: number;
}
/**
 * Salt-and-pepper (impulse) noise: a fraction of the pixels is replaced by white (salt, 1) or black (pepper, 0).
 */
export interface SaltPepperNoise {
  /**
   * Salt-and-pepper (impulse) noise.
   */
  type: "saltPepper";
  /**
   * Fraction of pixels replaced (the seed report used 0.1, 0.2 and 0.5).
   */
  amount: number;
  /**
   * Share of the replaced pixels that become white; the rest become black.
   */
  saltRatio: number;
}
/**
 * Periodic noise: each pixel z at column x, row y becomes z + amplitude·cos(frequency·t + phase), where t is x, y or x+y by orientation. The defaults give the seed report's z + cos(1.5πx).
 */
export interface PeriodicNoise {
  /**
   * Periodic (cosine) noise.
   */
  type: "periodic";
  /**
   * Amplitude of the added cosine wave (the seed report used 1).
   */
  amplitude: number;
  /**
   * The seed report's α, in radians per pixel: the wave is cos(α·t). The default is 1.5π ≈ 4.712.
   */
  frequency: number;
  /**
   * x: the wave runs along columns (vertical stripes); y: along rows (horizontal stripes); diagonal: along x+y.
   */
  orientation: "x" | "y" | "diagonal";
  /**
   * Phase of the wave in radians.
   */
  phase: number;
}
/**
 * Multiplicative speckle noise: each pixel z becomes z + z·n with n drawn from N(0, variance).
 */
export interface SpeckleNoise {
  /**
   * Multiplicative speckle noise.
   */
  type: "speckle";
  /**
   * Variance of the multiplicative factor n.
   */
  variance: number;
}
/**
 * Poisson (shot) noise: each pixel z becomes k/peak with k drawn from Poisson(z·peak). Fewer photons (a lower peak) means more noise.
 */
export interface PoissonNoise {
  /**
   * Poisson (shot) noise.
   */
  type: "poisson";
  /**
   * Expected photon count of a white pixel.
   */
  peak: number;
}
/**
 * Additive white Gaussian noise with its standard deviation on the 0-255 scale, as the denoising literature gives it (σ 15, 25, 50 on BSD68). blind trains over a range of σ drawn per patch; validation and test always use sigma.
 */
export interface Gaussian255Noise {
  /**
   * Gaussian noise, σ on the 0-255 scale.
   */
  type: "gaussian255";
  /**
   * Standard deviation σ on the 0-255 scale (pixels in [0,1] get σ/255).
   */
  sigma: number;
  /**
   * Blind training: each training patch (or image) gets its own σ drawn uniformly from [sigmaMin, sigmaMax]; validation and test use sigma.
   */
  blind: boolean;
  /**
   * For blind: the smallest σ drawn (0-255 scale).
   */
  sigmaMin: number;
  /**
   * For blind: the largest σ drawn (0-255 scale; DnCNN-B used 55).
   */
  sigmaMax: number;
}
/**
 * Camera noise: shot noise (Poisson with peak photons for a white pixel) plus Gaussian read noise of readSigma on the 0-255 scale.
 */
export interface PoissonGaussianNoise {
  /**
   * Poisson-Gaussian camera noise.
   */
  type: "poissonGaussian";
  /**
   * Expected photon count of a white pixel: fewer photons, more shot noise.
   */
  peak: number;
  /**
   * Standard deviation of the read noise on the 0-255 scale.
   */
  readSigma: number;
}
/**
 * Dense (fully connected) autoencoder, the seed report's 'linear' model. Give depth and codeSize as in the report's tables, or hiddenSizes explicitly.
 */
export interface DenseModel {
  /**
   * Dense autoencoder.
   */
  type: "dense";
  /**
   * Number of layers counting input and output, as in the seed report (5, 7 or 9). Must be odd. Hidden sizes step linearly from the image size down to codeSize and back: 5 layers with code 500 on 28x28 images is 784-642-500-642-784.
   */
  depth: number;
  /**
   * Size of the code (bottleneck) layer; the seed report used 10, 100 and 500.
   */
  codeSize: number;
  /**
   * Explicit encoder layer sizes ending with the code layer; the decoder mirrors them. Overrides depth and codeSize.
   *
   * @minItems 1
   * @maxItems 16
   */
  hiddenSizes?: number[];
  /**
   * Activation of the hidden layers.
   */
  activation: "relu" | "elu" | "selu" | "tanh" | "sigmoid" | "linear" | "leakyRelu" | "swish";
  /**
   * Activation of the output layer; sigmoid keeps pixels in [0,1].
   */
  outputActivation: "relu" | "elu" | "selu" | "tanh" | "sigmoid" | "linear" | "leakyRelu" | "swish";
}
/**
 * Convolutional autoencoder: strided convolutions down, transposed convolutions up.
 */
export interface ConvModel {
  /**
   * Convolutional autoencoder.
   */
  type: "conv";
  /**
   * Channels of each encoder stage; each stage halves the image size, the decoder mirrors them.
   *
   * @minItems 1
   * @maxItems 4
   */
  filters: number[];
  /**
   * Width and height of the convolution kernels.
   */
  kernelSize: number;
  /**
   * Activation of the hidden layers.
   */
  activation: "relu" | "elu" | "selu" | "tanh" | "sigmoid" | "linear" | "leakyRelu" | "swish";
  /**
   * Activation of the output layer.
   */
  outputActivation: "relu" | "elu" | "selu" | "tanh" | "sigmoid" | "linear" | "leakyRelu" | "swish";
}
/**
 * Residual CNN in the style of DnCNN: a stack of 3x3 convolutions predicts the noise, which is subtracted from the input.
 */
export interface DncnnModel {
  /**
   * Residual denoising CNN (predicts the noise).
   */
  type: "dncnn";
  /**
   * Number of convolution layers.
   */
  depth: number;
  /**
   * Channels of each hidden convolution.
   */
  filters: number;
  /**
   * Batch normalisation after each hidden convolution, as in the DnCNN paper.
   */
  batchNorm: boolean;
}
/**
 * A small U-Net: an encoder and decoder with skip connections between stages of equal size.
 */
export interface UnetModel {
  /**
   * Small U-Net.
   */
  type: "unet";
  /**
   * Channels of the first stage; each deeper stage doubles them.
   */
  filters: number;
  /**
   * Number of down-sampling stages. Image sides must be divisible by 2^levels (28 allows 2).
   */
  levels: number;
}
/**
 * Variational autoencoder (dense): the encoder gives a mean and spread for each latent dimension, so random latent vectors decode to new images.
 */
export interface VaeModel {
  /**
   * Variational autoencoder.
   */
  type: "vae";
  /**
   * Encoder hidden layer sizes; the decoder mirrors them.
   *
   * @minItems 1
   * @maxItems 8
   */
  hiddenSizes: number[];
  /**
   * Number of latent dimensions.
   */
  latentSize: number;
  /**
   * Weight of the KL divergence term relative to the reconstruction loss (1 is the standard VAE; the reconstruction term is summed over pixels).
   */
  klWeight: number;
  /**
   * Activation of the hidden layers.
   */
  activation: "relu" | "elu" | "selu" | "tanh" | "sigmoid" | "linear" | "leakyRelu" | "swish";
}
/**
 * How the model is trained.
 */
export interface Training {
  /**
   * sgd: plain stochastic gradient descent (the seed report); momentum: SGD with momentum; adam: Adam.
   */
  optimizer: "sgd" | "momentum" | "adam";
  /**
   * Step size. The seed report used 0.1 to 1.5 with plain SGD; Adam wants about 0.001.
   */
  learningRate: number;
  /**
   * How the learning rate changes during the run, batch by batch. Left out, the rate stays training.learningRate throughout.
   */
  learningRateSchedule?: {
    /**
     * constant: training.learningRate throughout; cosine: half a cosine from training.learningRate down to learningRate * finalFraction over all batches of the run; step: multiplied by factor every everyEpochs epochs.
     */
    type: "constant" | "cosine" | "step";
    /**
     * The first this many batches ramp the rate linearly from near 0 up to the schedule's value; helps Adam and deep CNNs through their first steps. Cosine decays over the batches after the warm-up.
     */
    warmupBatches: number;
    /**
     * The lowest rate as a fraction of training.learningRate: where cosine ends when the run ends, and the floor that step never goes below.
     */
    finalFraction: number;
    /**
     * For step: what the rate is multiplied by at each step.
     */
    factor: number;
    /**
     * For step: epochs between two steps; with 2 the rate drops at the start of epochs 3, 5, 7 and so on.
     */
    everyEpochs: number;
  };
  /**
   * Momentum factor, for optimizer momentum.
   */
  momentum: number;
  /**
   * Number of passes over the training images (for patch training: epochs of patchesPerEpoch patches).
   */
  epochs: number;
  /**
   * Images per gradient step.
   */
  batchSize: number;
  /**
   * mse: mean squared error (the seed report); mae: mean absolute error; bce: binary cross-entropy on pixels. For models with a sigmoid output (conv, unet) prefer bce: with mse they can settle on an all-black image early and stop learning (measured: a conv autoencoder and a U-Net at Adam 0.001 stuck at 9.7 dB with mse, 22.7-22.9 dB with bce).
   */
  loss: "mse" | "mae" | "bce";
  /**
   * Seed for weight initialisation and batch order: the same seed gives the same metrics twice.
   */
  seed: number;
  /**
   * What the model sees during training: noisy images (the seed report's main experiment) or clean ones ('training without noise').
   */
  input: "noisy" | "clean";
  /**
   * What the model is asked to output during training. clean: the clean image (supervised). noisy: the noisy input itself. noise2noise: a second, independently noised copy of the same clean patch (needs noise steps; the clean patch is never a target). noise2void: the blind-spot method, trained on noisy patches only: training.maskFraction of each patch's pixels are replaced by a random neighbour's value and the loss counts those pixels only, against their noisy values. With noise2void and no noise steps, the dataset's images are themselves the noisy data (no clean version): no PSNR or SSIM is measured. Both need dataset.source imageFolder and a fully convolutional model.
   */
  target: "clean" | "noisy" | "noise2noise" | "noise2void";
  /**
   * For target noise2void: the share of each patch's pixels masked (replaced by a random neighbour's value within 2 pixels, never their own) and counted in the loss. The Noise2Void paper masks about 1.5%.
   */
  maskFraction: number;
  /**
   * Start from an earlier run's trained model instead of random weights: fine-tuning, or transfer learning with frozen layers.
   */
  startFrom?: {
    /**
     * The earlier run's folder, or 'latest:NAME' for the newest finished run of experiment NAME in the runs folder.
     */
    run: string;
    /**
     * Layers kept fixed while training: none (fine-tuning), encoder or decoder (transfer learning).
     */
    freeze: "none" | "encoder" | "decoder";
  };
  /**
   * Stop when the validation loss has not improved for a number of epochs, keeping the best weights.
   */
  earlyStopping?: {
    /**
     * Epochs without improvement before stopping.
     */
    patience: number;
    /**
     * Smallest decrease of the validation loss that counts as an improvement.
     */
    minDelta: number;
  };
  /**
   * For dataset.source imageFolder with a fully convolutional model (conv, dncnn, unet): side of the square training patches cut at random from the training images (DnCNN: 40). Validation and test run on whole images.
   */
  patchSize: number;
  /**
   * For patch training: the patches that make one epoch; every epoch cuts fresh patches with fresh noise.
   */
  patchesPerEpoch: number;
  /**
   * For patch training: each patch is one of the eight flips and rotations of its square, drawn at random.
   */
  augment: boolean;
  /**
   * Time budget of the training: no epoch is started that would end past it (judged by the epochs so far), and the run ends at that epoch boundary with everything written. 0: no limit.
   */
  maxMinutes: number;
  /**
   * The run stops as diverged when a loss is NaN or larger than this many times the first epoch's loss.
   */
  divergenceFactor: number;
}
/**
 * How the trained model is judged.
 */
export interface Evaluation {
  /**
   * Number of fixed test images shown as clean | noisy | denoised after each epoch and at the end.
   */
  sampleImages: number;
  /**
   * At most this many images of each split are used for the final MSE, PSNR and SSIM.
   */
  maxImages: number;
  /**
   * Score clean, noisy and denoised test digits with Denoise Lab's shipped MNIST digit classifier and report its accuracy (needs a dataset with digit labels, i.e. MNIST).
   */
  readability: boolean;
  /**
   * Classical filters applied to the same noisy test images and reported as extra rows: median (3x3), gaussian (sigma 1), notch (FFT notch for periodic noise), nlm (non-local means, about 10 s per 10,000 images).
   */
  baselines: ("median" | "gaussian" | "notch" | "nlm")[];
  /**
   * Optional post-processing of the model's output, reported as an extra row 'model + hysteresis'. Hysteresis thresholding: pixels above high, plus pixels above low connected to them, become 1; the rest 0.
   */
  postprocess?: {
    /**
     * Hysteresis thresholding (as skimage.filters.apply_hysteresis_threshold).
     */
    type: "hysteresis";
    /**
     * Lower threshold: pixels above it are kept when connected (8-neighbourhood) to a pixel above high.
     */
    low: number;
    /**
     * Upper threshold: pixels above it are always kept.
     */
    high: number;
  };
  /**
   * The seed report's generation experiment: what the trained model outputs for a blank input and for random inputs.
   */
  generation: {
    /**
     * Pixel value of the blank input (0 is black).
     */
    blankValue: number;
    /**
     * Number of uniform random inputs to decode.
     */
    randomInputs: number;
  };
}
/**
 * Where and what a run writes.
 */
export interface Output {
  /**
   * Folder that receives one sub-folder per run; relative to the experiment file's folder.
   */
  runsDir: string;
  /**
   * Save the trained model (TensorFlow.js format) so it can be evaluated, fine-tuned or transferred later.
   */
  saveModel: boolean;
  /**
   * Write a reconstruction grid PNG after every epoch, not only at the end.
   */
  epochImages: boolean;
  /**
   * Minutes between checkpoints within an epoch (one is also saved after every epoch): a run killed mid-epoch resumes from the last one, exactly where it stood, losing at most this much training. 0 saves only after each epoch.
   */
  checkpointMinutes: number;
  /**
   * How many checkpoints stay in the run's checkpoint folder; older ones are deleted. Each holds the weights and the optimizer's state (with Adam about three times the model's size).
   */
  checkpointsKept: number;
}
/**
 * Which engine trains the model.
 */
export interface Compute {
  /**
   * auto: the fastest that loads (tensorflow if @tensorflow/tfjs-node is installed, then wasm with the system BLAS, then wasm, then cpu).
   */
  engine: "auto" | "tensorflow" | "wasm-blas" | "wasm" | "cpu";
  /**
   * BLAS threads; 0 means one per CPU core.
   */
  threads: number;
}
/**
 * Several runs from this one experiment: `denoise sweep` (or Run Sweep) expands grid x runs x random into runs, each a copy of this config with some fields changed, runs them up to `parallel` at a time and writes results.md and results.csv. `denoise run` ignores this section.
 */
export interface Sweep {
  /**
   * Field paths mapped to the values to try; every combination runs (the cartesian product).
   */
  grid?: {
    /**
     * @minItems 1
     * @maxItems 1000
     */
    [k: string]: unknown[] | undefined;
  };
  /**
   * Explicit runs, for tables whose rows are not a full grid (like the seed report's): each sets its own fields. Combined with every grid point when both are given.
   *
   * @minItems 1
   * @maxItems 1000
   */
  runs?: {
    /**
     * How the run is named in the results table; default: the fields it sets, e.g. codeSize=100 lr=0.5.
     */
    label?: string;
    set: SweepOverrides;
  }[];
  /**
   * A random search: `count` draws of the given fields, the same draws on every machine for one seed. Combined with every grid point and explicit run when those are given.
   */
  random?: {
    /**
     * Number of random draws.
     */
    count: number;
    /**
     * Seed of the draws: the same seed gives the same runs.
     */
    seed: number;
    /**
     * Field paths mapped to a range {min, max, scale: linear|log, integer} or a list {choices: [...]}.
     */
    fields: {
      [k: string]:
        | {
            /**
             * Smallest value drawn.
             */
            min: number;
            /**
             * Largest value drawn.
             */
            max: number;
            /**
             * linear (the default) or log, which draws evenly in the logarithm (for learning rates) and needs min > 0.
             */
            scale?: "linear" | "log";
            /**
             * true rounds the draw to an integer (default false).
             */
            integer?: boolean;
          }
        | {
            /**
             * Values drawn from, each equally likely.
             *
             * @minItems 1
             */
            choices: unknown[];
          }
        | undefined;
    };
  };
  /**
   * Runs trained at the same time; the machine's cores are shared among them (BLAS threads per run = cores / parallel).
   */
  parallel: number;
  /**
   * What each task asks Slurm for when the sweep runs on a cluster (`denoise sweep CONFIG --on slurm`, or Run Sweep on Slurm): one task per run, all in one job array. The command line's --partition, --time... win over these; the denoiseLab.slurm.* settings fill in what is left out. A sweep on this machine ignores them.
   */
  slurm?: {
    /**
     * Slurm partition (queue) the tasks go to; default: the cluster's default partition (`sinfo -s` lists them).
     */
    partition?: string;
    /**
     * Wall-clock limit of each task (sbatch --time): MM, HH:MM:SS or D-HH:MM:SS. A run stopped by it is interrupted; `denoise sweep --resume` continues it from its last finished epoch.
     */
    time?: string;
    /**
     * CPUs per task (sbatch --cpus-per-task); each run's BLAS threads = this, unless compute.threads is set. Default: 1.
     */
    cpusPerTask?: number;
    /**
     * Memory of each task's node (sbatch --mem), e.g. 4G.
     */
    mem?: string;
    /**
     * Generic resources per task (sbatch --gres), e.g. gpu:1.
     */
    gres?: string;
    /**
     * Slurm account the tasks are charged to (sbatch --account).
     */
    account?: string;
  };
}
/**
 * Field paths (dotted, [i] for list items, as with --set) mapped to the value each takes in this run.
 */
export interface SweepOverrides {}
