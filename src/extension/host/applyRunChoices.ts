import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { noiseLevelQuestion, type NoiseLevelQuestion } from '../../app/apply/noiseLevelQuestion';
import { listBuiltinModels, type BuiltinModel } from '../../core/apply/builtinModels';
import { isFullyConvolutional } from '../../core/config/validateConfig';
import type { ExperimentConfig } from '../../core/config/experimentConfig.generated';
import { summarizeNoiseSteps } from '../../core/noise/describeNoise';
import { readRunConfig, readRunSummary, type RunListing } from '../../core/runs/listRuns';
import { runFile } from '../../core/runs/runFiles';

/** A model folder shipped with the extension (models/builtin-gray, models/builtin-colour), laid out as a run. */
export type { BuiltinModel };

/** The built-in models the extension at `extensionDir` ships. */
export function builtinModels(extensionDir: string): BuiltinModel[] {
  return listBuiltinModels(extensionDir);
}

/** One row of the run picker. */
export interface ApplyRunChoice {
  readonly runDir: string;
  readonly label: string;
  /** Test PSNR, or why there is none. */
  readonly description: string;
  /** What it was trained on: dataset, noise, channels; and when. */
  readonly detail: string;
  readonly builtin: boolean;
  /** Why this run cannot denoise the chosen images; absent when it can. */
  readonly refusal?: string;
  /** The images' σ to ask for, when the model can be told it (as `denoise apply --sigma`); absent: do not ask. */
  readonly noiseLevel?: NoiseLevelQuestion;
}

const channelWords = (n: 1 | 3) => (n === 1 ? 'gray (1 channel)' : 'colour (3 channels)');

function datasetWords(config: ExperimentConfig): string {
  const { dataset } = config;
  if (dataset.source !== 'imageFolder') return dataset.source;
  return dataset.trainFolder ? `image folder ${basename(dataset.trainFolder)}` : 'image folder';
}

/** Why the run in `runDir` cannot denoise images of `inputChannels` channels, or undefined when it can. */
function refusalOf(
  runDir: string,
  config: ExperimentConfig | undefined,
  inputChannels: ReadonlySet<1 | 3>,
): string | undefined {
  if (!config) return 'not a run folder: its config.json is missing or unreadable';
  if (!isFullyConvolutional(config.model))
    return `a ${config.model.type} model takes only its fixed image size; pick a conv, dncnn or unet run`;
  if (!existsSync(join(runFile(runDir, 'model'), 'model.json')))
    return 'no trained model (no model/model.json): the run did not finish; resume it or train again';
  const channels = config.dataset.channels === 3 ? 3 : 1;
  const other = [...inputChannels].find((c) => c !== channels);
  if (other !== undefined)
    return `takes ${channelWords(channels)} images, and ${inputChannels.size > 1 ? 'some of these images are' : 'the image is'} ${channelWords(other)}`;
  return undefined;
}

function choice(
  runDir: string,
  label: string,
  builtin: boolean,
  inputChannels: ReadonlySet<1 | 3>,
  startedAt?: string,
): ApplyRunChoice {
  const config = readRunConfig(runDir);
  const summary = readRunSummary(runDir);
  const psnr = summary?.metrics?.test.denoised.psnr;
  const channels = config?.dataset.channels === 3 ? 3 : 1;
  const trainedOn = config
    ? [
        summary?.dataset ?? datasetWords(config),
        summary?.noise ?? summarizeNoiseSteps(config.noise.steps),
        channelWords(channels),
      ]
    : [];
  const when = startedAt ? [startedAt.replace('T', ' ').slice(0, 16)] : [];
  return {
    runDir,
    label,
    builtin,
    description: typeof psnr === 'number' && Number.isFinite(psnr) ? `test PSNR ${psnr.toFixed(2)} dB` : 'no test PSNR',
    detail: [...trainedOn, ...when].join(' · '),
    refusal: refusalOf(runDir, config, inputChannels),
    noiseLevel: config && noiseLevelQuestion(config),
  };
}

/**
 * The rows of the run picker for images of `inputChannels` channels (empty when unknown: the trainer then
 * checks them): the runs that can denoise them newest first, then the built-in models, then the runs that
 * cannot, each with its reason, so that a user sees why a run they expected is not usable.
 */
export function applyRunChoices(
  runs: readonly RunListing[],
  builtins: readonly BuiltinModel[],
  inputChannels: ReadonlySet<1 | 3>,
): ApplyRunChoice[] {
  const newestFirst = [...runs].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
  const rows = newestFirst.map((r) => choice(r.runDir, r.name, false, inputChannels, r.startedAt));
  const builtinRows = builtins.map((b) => choice(b.dir, b.label, true, inputChannels));
  return [
    ...rows.filter((r) => !r.refusal),
    ...builtinRows.filter((r) => !r.refusal),
    ...rows.filter((r) => r.refusal),
    ...builtinRows.filter((r) => r.refusal),
  ];
}
