import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/loadConfig';
import type { ExperimentConfig } from '../config/experimentConfig.generated';
import { loadDataset } from '../data/loadDataset';
import { initEngine } from '../engine/selectEngine';
import { renderImageGrid } from '../images/imageGrid';
import { buildDenoiser } from '../models/buildDenoiser';
import type { Denoiser } from '../models/denoiser';
import { saveDenoiser } from '../models/modelStorage';
import { saveCheckpoint } from '../runs/checkpoint';
import { loadResumeModel } from './resumeModel';
import type { ResumePoint } from './resumePoint';
import { describeNoise } from '../noise/describeNoise';
import { predictImages } from '../evaluation/predictImages';
import { firstImages } from '../data/imageSet';
import { writeFileAtomic, writeJsonAtomic } from '../files/atomicWrite';
import { appendEpochRecord } from '../runs/metricsLog';
import { createRunFolder } from '../runs/runFolder';
import { epochImagePath, runFile } from '../runs/runFiles';
import type { RunSummary } from '../runs/runSummary';
import { writeRunStatus } from '../runs/runStatus';
import { DivergenceError } from '../training/divergenceGuard';
import type { RunStatus, TrainingEvent, TrainingEventListener } from '../training/events';
import { trainDenoiser, type TrainResult } from '../training/trainer';
import { compareOnTest, evaluateAllSplits } from './finalEvaluation';
import { generateFromBlankAndRandom, interpolateLatent, sampleFromLatent } from './generation';
import { loadStartingModel } from './startingModel';
import { makeSampleImages, writeSampleGrid } from './sampleImages';
import { makeNoisyData } from './trainingPairs';

export interface RunOptions {
  readonly onEvent?: TrainingEventListener;
  readonly signal?: AbortSignal;
  /** Overrides config.output.runsDir (e.g. the extension's setting). */
  readonly runsDir?: string;
  /** Continues an interrupted run in its own folder from its last checkpoint (see resumePoint.ts). */
  readonly resume?: ResumePoint;
}

export interface RunOutcome {
  readonly runDir: string;
  readonly summary: RunSummary;
}

export function runsDirFor(loaded: LoadedConfig, override?: string): string {
  return resolve(loaded.baseDir, override ?? loaded.config.output.runsDir);
}

/**
 * Runs one experiment end to end: data, noise, model, training, evaluation, and a run folder holding
 * the resolved config, per-epoch metrics, sample grids, the trained model and summary.json.
 * Input problems (bad dataset, unusable starting run) throw before any run folder is made; a run that
 * starts always ends with a summary.json saying how it ended.
 */
export async function runExperiment(loaded: LoadedConfig, options: RunOptions = {}): Promise<RunOutcome> {
  const { config, baseDir } = loaded;
  const emit = (event: TrainingEvent) => options.onEvent?.(event);
  const engine = await initEngine(config.compute.engine, config.compute.threads);
  const runsDir = runsDirFor(loaded, options.runsDir);

  const clean = await loadDataset(config.dataset, baseDir);
  const image = { height: clean.train.height, width: clean.train.width };
  const { resume } = options;
  const history = resume?.history ?? [];
  const denoiser = resume
    ? await loadResumeModel(resume, config, image)
    : config.training.startFrom
      ? await loadStartingModel(config, image, baseDir, runsDir, emit)
      : buildDenoiser(config.model, image, config.training.seed);
  const data = makeNoisyData(config, clean);

  const runDir = resume?.runDir ?? createRunFolder(runsDir, config.name);
  // A resumed run keeps its first start time, so its duration includes the time it was down.
  const startedAt = resume ? new Date(resume.startedAt) : new Date();
  if (!resume) writeJsonAtomic(runFile(runDir, 'config'), config);
  writeRunStatus(runDir, { status: 'running', startedAt: startedAt.toISOString(), epoch: history.length, epochs: config.training.epochs });
  const batchesPerEpoch = Math.ceil(clean.train.count / config.training.batchSize);
  emit({
    type: 'started',
    runDir,
    runName: config.name,
    engine,
    model: denoiser.describe(),
    dataset: `${clean.name}: ${clean.train.count} train, ${clean.val.count} validation, ${clean.test.count} test`,
    trainSize: clean.train.count,
    epochs: config.training.epochs,
    batchesPerEpoch,
  });
  if (resume) emit({ type: 'log', message: `Resuming after epoch ${history.length} of ${config.training.epochs} from its checkpoint.` });

  const sampleClean = firstImages(clean.test, config.evaluation.sampleImages);
  const sampleNoisy = firstImages(data.noisy.test, config.evaluation.sampleImages);
  const samplesNow = () => makeSampleImages(sampleClean, sampleNoisy, predictImages(denoiser, sampleNoisy), sampleClean.count);

  let result: TrainResult | undefined;
  let status: RunStatus = 'failed';
  let message = '';
  try {
    result = await trainDenoiser({
      denoiser,
      training: config.training,
      trainPairs: data.trainPairs,
      valPairs: data.valPairs,
      onEvent: emit,
      signal: options.signal,
      history,
      afterEpoch: async (record) => {
        // Metrics first, then the checkpoint: a crash between the two leaves the checkpoint one epoch
        // behind the metrics, and resuming drops that epoch's line and trains it again.
        appendEpochRecord(runDir, record);
        await saveCheckpoint(runDir, record.epoch, baseDir, (dir) => saveDenoiser(denoiser, dir));
        writeRunStatus(runDir, { status: 'running', startedAt: startedAt.toISOString(), epoch: record.epoch, epochs: config.training.epochs });
        if (sampleClean.count > 0) {
          const images = samplesNow();
          emit({ type: 'samples', epoch: record.epoch, images });
          if (config.output.epochImages) writeSampleGrid(epochImagePath(runDir, record.epoch), images);
        }
      },
    });
    status = result.status;
    message = finishMessage(result, config, history.length);
  } catch (err) {
    const diverged = err instanceof DivergenceError;
    status = diverged ? 'diverged' : 'failed';
    message = diverged ? `${err.message} ${err.hint}` : (err as Error).message;
    emit({ type: 'failed', reason: diverged ? 'diverged' : 'error', message: (err as Error).message, hint: diverged ? err.hint : undefined, runDir });
  }

  let summary: RunSummary;
  try {
    const allEpochs = [...history, ...(result?.epochs ?? [])];
    const trained = allEpochs.length > 0;
    if (trained) writeRunArtifacts(runDir, denoiser, config, samplesNow);
    if (trained && config.output.saveModel) await saveDenoiser(denoiser, runFile(runDir, 'model'));
    const comparison = trained ? await compareOnTest(denoiser, data, config) : undefined;
    summary = {
      name: config.name,
      description: config.description,
      runDir,
      status,
      message,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
      engine,
      model: denoiser.describe(),
      dataset: clean.name,
      noise: describeNoise(config.noise),
      epochsCompleted: allEpochs.length,
      bestEpoch: result?.bestEpoch ?? 0,
      samplesPerSecond: result?.samplesPerSecond ?? 0,
      ...(result ? { trainingSteps: result.steps } : {}),
      finalTrainLoss: allEpochs.at(-1)?.trainLoss,
      finalValLoss: allEpochs.at(-1)?.valLoss,
      metrics: trained ? evaluateAllSplits(denoiser, data, config) : undefined,
      ...(comparison?.readability ? { readability: comparison.readability } : {}),
      ...(comparison ? { comparison: comparison.rows } : {}),
    };
  } catch (err) {
    // Writing results failed (disk full, read-only folder): record that, never a summary that looks complete.
    status = 'failed';
    message = `Training ended but its results could not be saved: ${(err as Error).message}`;
    emit({ type: 'failed', reason: 'error', message, runDir });
    summary = {
      name: config.name, description: config.description, runDir, status, message,
      startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(),
      durationSeconds: (Date.now() - startedAt.getTime()) / 1000, engine, model: denoiser.describe(),
      dataset: clean.name, noise: describeNoise(config.noise), epochsCompleted: history.length + (result?.epochs.length ?? 0),
      bestEpoch: result?.bestEpoch ?? 0, samplesPerSecond: result?.samplesPerSecond ?? 0,
    };
  } finally {
    denoiser.model.dispose();
  }
  writeJsonAtomic(runFile(runDir, 'summary'), summary);
  writeRunStatus(runDir, { status, startedAt: startedAt.toISOString(), epoch: summary.epochsCompleted, epochs: config.training.epochs, message });
  if (status !== 'failed' && status !== 'diverged') emit({ type: 'finished', status, runDir, message });
  return { runDir, summary };
}

function finishMessage(result: TrainResult, config: ExperimentConfig, earlier: number): string {
  const n = earlier + result.epochs.length;
  switch (result.status) {
    case 'completed':
      return `Trained ${n} epochs.`;
    case 'stopped':
      return `Stopped by the user after ${n} of ${config.training.epochs} epochs.`;
    case 'earlyStopped':
      return `Stopped early after ${n} epochs: validation loss had not improved for ${config.training.earlyStopping?.patience} epochs; kept epoch ${result.bestEpoch}.`;
  }
}

/** Final sample grid and the generation experiment's images. */
function writeRunArtifacts(runDir: string, denoiser: Denoiser, config: ExperimentConfig, samplesNow: () => ReturnType<typeof makeSampleImages>): void {
  mkdirSync(runDir, { recursive: true });
  if (config.evaluation.sampleImages > 0) writeSampleGrid(runFile(runDir, 'samples'), samplesNow());
  const generated = generateFromBlankAndRandom(denoiser, config);
  const columns = [
    { title: 'input', images: generated.inputs },
    { title: 'output', images: generated.outputs },
  ];
  const latent = sampleFromLatent(denoiser, generated.inputs.count, config.training.seed);
  if (latent) columns.push({ title: 'latent samples', images: latent });
  // Same row count as the other columns, so the grid stays rectangular and readRunGeneration can cut it.
  const walk = latent && config.evaluation.sampleImages >= 2 ? interpolateLatent(denoiser, samplesNow(), generated.inputs.count) : undefined;
  if (walk) columns.push({ title: 'interpolation', images: walk });
  writeFileAtomic(runFile(runDir, 'generation'), renderImageGrid(columns).png);
}
