/**
 * The epoch slider's answer without repeats. Compared runs usually share their test images, so of each run's
 * clean | noisy | denoised columns only the denoised one is its own: sending all three for 50 runs made an
 * epoch 1.25 MB of base64 where 0.45 MB say the same, and the page kept three copies of every input. Each
 * distinct set of inputs (image shape, clean and noisy columns) is sent once; each run names its set.
 */
import { decodedLength } from './base64';
import type { EncodedInputs, EncodedSamples, HostToWebview } from './webviewMessages';

export type EpochSamplesMessage = Extract<HostToWebview, { type: 'epochSamples' }>;
export interface RunSamples {
  readonly runDir: string;
  readonly samples: EncodedSamples;
}

const sameInputs = (a: EncodedInputs, b: EncodedInputs) =>
  a.count === b.count && a.width === b.width && a.height === b.height && a.clean === b.clean && a.noisy === b.noisy;

/** The `epochSamples` message of these runs' images, each distinct set of inputs sent once. */
export function packEpochSamples(epoch: number, runs: readonly RunSamples[]): EpochSamplesMessage {
  const inputs: EncodedInputs[] = [];
  return {
    type: 'epochSamples',
    epoch,
    // Filled while the runs are mapped below.
    inputs,
    runs: runs.map(({ runDir, samples: { denoised, ...own } }) => {
      let index = inputs.findIndex((known) => sameInputs(known, own));
      if (index < 0) index = inputs.push(own) - 1;
      return { runDir, inputs: index, denoised };
    }),
  };
}

/**
 * Why a checked `epochSamples` message cannot be read, or undefined: what its schema cannot say, that each
 * run names a set of inputs the message holds and that its denoised column has their shape.
 */
export function epochSamplesProblem(message: EpochSamplesMessage): string | undefined {
  for (const [i, run] of message.runs.entries()) {
    const inputs = message.inputs[run.inputs];
    if (!inputs) return `runs[${i}].inputs: ${run.inputs} names none of the message's ${message.inputs.length} inputs`;
    const { count, height, width } = inputs;
    if (run.denoised.length % 4 !== 0 || decodedLength(run.denoised) !== count * height * width)
      return `runs[${i}].denoised: must hold ${count} × ${height} × ${width} pixels, as inputs[${run.inputs}] do`;
  }
  return undefined;
}

/** Each run's whole samples again (the inputs are the same strings for every run that shares them). */
export function unpackEpochSamples(message: EpochSamplesMessage): RunSamples[] {
  return message.runs.map((run) => ({
    runDir: run.runDir,
    samples: { ...message.inputs[run.inputs], denoised: run.denoised },
  }));
}
