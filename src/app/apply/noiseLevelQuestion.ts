import {
  noiseLevelHint,
  onSigmaScale,
  trainedNoiseLevel,
  type TrainedNoiseLevel,
} from '../../core/apply/noiseLevelHint';
import type { ExperimentConfig } from '../../core/config/experimentConfig.generated';

type RunNoise = Pick<ExperimentConfig, 'noise'>;

/**
 * What Denoise Image… asks before denoising with a model that can be told its input's noise level: the same
 * models `denoise apply --sigma` takes (trained on one Gaussian step, at one σ or blind over a range), so
 * the answer goes to the same hint (src/core/apply/noiseLevelHint.ts).
 */
export interface NoiseLevelQuestion {
  readonly title: string;
  readonly prompt: string;
  /** Prefilled: the σ the model was trained at, or the middle of its blind range (where the input is unchanged). */
  readonly value: string;
  readonly trained: TrainedNoiseLevel;
  /** The run's noise, which an answer is checked against. */
  readonly run: RunNoise;
}

/**
 * An answer as the input box shows it while typed: a σ with what the model will do with it (the note
 * `denoise apply` logs), or why it is not a σ (Enter refused). A σ that goes in unchanged has no severity:
 * the box keeps its prompt, which says the trained range; one that scales the input says so under the box,
 * as a warning when it lies outside a blind model's range.
 */
export type NoiseLevelAnswer =
  | { readonly ok: true; readonly sigma: number; readonly message: string; readonly severity?: 'info' | 'warning' }
  | { readonly ok: false; readonly message: string };

const shown = (x: number) => String(+x.toFixed(2));

function trainedWords(trained: TrainedNoiseLevel): string {
  return trained.kind === 'blind'
    ? `the model was trained blind over σ ${shown(trained.min)}-${shown(trained.max)}`
    : `the model was trained at σ ${shown(trained.sigma)}`;
}

/** The question for a run with this noise, or undefined when its model has no σ to be told (do not ask). */
export function noiseLevelQuestion(run: RunNoise): NoiseLevelQuestion | undefined {
  const trained = trainedNoiseLevel(run);
  if (!trained) return undefined;
  const title = 'Noise level σ of the images (0-255 scale)';
  if (trained.kind === 'blind') {
    return {
      title,
      prompt:
        `The model was trained blind over σ ${shown(trained.min)}-${shown(trained.max)}: images inside that range ` +
        'go in unchanged; images noisier or cleaner than it are scaled around their mean to its nearest end, and back.',
      value: shown((trained.min + trained.max) / 2),
      trained,
      run,
    };
  }
  return {
    title,
    prompt:
      `The model was trained at σ ${shown(trained.sigma)}: images of another σ are scaled around their mean to ` +
      'match it, and back, so their contrast returns unchanged.',
    value: shown(trained.sigma),
    trained,
    run,
  };
}

/** Checks what the user typed, keystroke by keystroke; the message of a σ is the one `denoise apply` logs. */
export function checkNoiseLevel(question: NoiseLevelQuestion, text: string): NoiseLevelAnswer {
  const trained = trainedWords(question.trained);
  const typed = text.trim();
  if (!typed) return { ok: false, message: `Type the images' σ on the 0-255 scale; ${trained}.` };
  const sigma = Number(typed);
  if (!Number.isFinite(sigma))
    return { ok: false, message: `"${typed}" is not a number: type the images' σ on the 0-255 scale; ${trained}.` };
  if (!onSigmaScale(sigma))
    return { ok: false, message: `σ ${typed} is off the 0-255 scale: type a σ above 0 and at most 255; ${trained}.` };
  const hint = noiseLevelHint(question.run, sigma);
  if (hint.scale === 1) return { ok: true, sigma, message: hint.note };
  return { ok: true, sigma, message: hint.note, severity: question.trained.kind === 'blind' ? 'warning' : 'info' };
}
