import type { Training } from '../config/experimentConfig.generated';

/**
 * Below this spread of the output pixels (standard deviation over every pixel of every image) the output is one flat
 * image; MNIST digits spread about 0.3.
 */
const COLLAPSED_SPREAD = 0.02;

/**
 * A warning when the model's validation outputs are nearly the same flat image whatever the input: training
 * has collapsed and will learn little more. Seen with a sigmoid output and mse (a conv autoencoder and a
 * U-Net at Adam 0.001 settled on all-black images in their first epoch, where bce trained them to 23 dB).
 */
export function collapsedOutputWarning(
  epoch: number,
  outputs: Float32Array,
  loss: Training['loss'],
): string | undefined {
  if (outputs.length === 0) return undefined;
  let sum = 0;
  let sumOfSquares = 0;
  for (let i = 0; i < outputs.length; i++) {
    sum += outputs[i];
    sumOfSquares += outputs[i] * outputs[i];
  }
  const mean = sum / outputs.length;
  const spread = Math.sqrt(Math.max(0, sumOfSquares / outputs.length - mean * mean));
  if (spread >= COLLAPSED_SPREAD) return undefined;
  const fix =
    loss === 'bce'
      ? 'try a lower training.learningRate'
      : 'with a sigmoid output this is common under mse: try training.loss=bce, or a lower training.learningRate';
  return (
    `Epoch ${epoch}: the model outputs nearly the same flat image (mean ${mean.toFixed(3)}, spread ${spread.toFixed(4)}) whatever the input. ` +
    `Training has collapsed and will learn little more; ${fix}.`
  );
}

/** Gives the collapsed-output warning at most once a run: a collapsed model stays collapsed. */
export class CollapseWatch {
  private warned = false;

  constructor(private readonly loss: Training['loss']) {}

  /** Whether the warning was given (a checkpoint saves it, so a resumed run does not warn twice). */
  get alreadyWarned(): boolean {
    return this.warned;
  }

  restore(warned: boolean): void {
    this.warned = warned;
  }

  /** The warning for this epoch's validation outputs, or undefined (always, once it has been given). */
  check(epoch: number, outputs: Float32Array): string | undefined {
    if (this.warned) return undefined;
    const warning = collapsedOutputWarning(epoch, outputs, this.loss);
    this.warned = warning !== undefined;
    return warning;
  }
}
