import type { LoadedConfig } from '../config/loadConfig';
import type { ExperimentConfig } from '../config/experimentConfig.generated';
import type { DatasetSplits } from '../data/imageSet';
import { firstImages } from '../data/imageSet';
import { loadDataset } from '../data/loadDataset';
import { initEngine, type EngineInfo } from '../engine/selectEngine';
import { predictImages } from '../evaluation/predictImages';
import { buildDenoiser } from '../models/buildDenoiser';
import type { Denoiser } from '../models/denoiser';
import { writeJsonAtomic } from '../files/atomicWrite';
import { markRunStart } from '../runs/checkpoint';
import { createRunFolder } from '../runs/runFolder';
import { runFile } from '../runs/runFiles';
import { writeRunStatus } from '../runs/runStatus';
import type { EpochRecord, SampleImages, TrainingEvent } from '../training/events';
import type { TrainingState } from '../training/trainingState';
import { describeResume } from './describeResume';
import { loadResumeModel, loadResumeState } from './resumeModel';
import type { ResumePoint } from './resumePoint';
import { makeSampleImages } from './sampleImages';
import { loadStartingModel } from './startingModel';
import { makeNoisyData, type NoisyData } from './trainingPairs';

/** One experiment's run once it has started: its inputs, its model and its folder. */
export interface ExperimentRun {
  readonly config: ExperimentConfig;
  readonly baseDir: string;
  readonly engine: EngineInfo;
  readonly clean: DatasetSplits;
  readonly data: NoisyData;
  readonly denoiser: Denoiser;
  /** Epochs done before this session (a resumed run's), else none. */
  readonly history: readonly EpochRecord[];
  /** The training state of the checkpoint a resumed run continues from (absent from its start, or when new). */
  readonly resumeState?: TrainingState;
  readonly runDir: string;
  /** A resumed run keeps its first start time, so its duration includes the time it was down. */
  readonly startedAt: Date;
  readonly emit: (event: TrainingEvent) => void;
  /** The sample test images, noisy and as the model denoises them now. */
  readonly samplesNow: () => SampleImages;
}

/**
 * Loads the engine, data and model, then makes (or, resuming, reuses) the run folder and reports the start.
 * Input problems (bad dataset, unusable starting run) throw before any run folder is made.
 */
export async function startExperimentRun(
  loaded: LoadedConfig,
  runsDir: string,
  resume: ResumePoint | undefined,
  emit: (event: TrainingEvent) => void,
): Promise<ExperimentRun> {
  const { config, baseDir } = loaded;
  const engine = await initEngine(config.compute.engine, config.compute.threads);
  const clean = await loadDataset(config.dataset, baseDir);
  const image = { height: clean.train.height, width: clean.train.width };
  // A run resumed from its start (killed before its first checkpoint) builds its model as a new one would.
  const denoiser = resume?.modelDir
    ? await loadResumeModel(resume, config, image)
    : config.training.startFrom
      ? await loadStartingModel(config, image, baseDir, runsDir, emit)
      : buildDenoiser(config.model, image, config.training.seed);
  const data = makeNoisyData(config, clean);
  const sampleClean = firstImages(clean.test, config.evaluation.sampleImages);
  const sampleNoisy = firstImages(data.noisy.test, config.evaluation.sampleImages);
  const run: ExperimentRun = {
    config,
    baseDir,
    engine,
    clean,
    data,
    denoiser,
    emit,
    history: resume?.history ?? [],
    resumeState: resume ? loadResumeState(resume) : undefined,
    runDir: resume?.runDir ?? createRunFolder(runsDir, config.name),
    startedAt: resume ? new Date(resume.startedAt) : new Date(),
    samplesNow: () =>
      makeSampleImages(sampleClean, sampleNoisy, predictImages(denoiser, sampleNoisy), sampleClean.count),
  };
  if (!resume) {
    writeJsonAtomic(runFile(run.runDir, 'config'), config);
    markRunStart(run.runDir, baseDir);
  }
  announceStart(run, resume);
  return run;
}

/** Marks the run as running in status.json and tells the listener what is being trained, on what. */
function announceStart(run: ExperimentRun, resume: ResumePoint | undefined): void {
  const { config, clean, history } = run;
  writeRunningStatus(run, history.length);
  run.emit({
    type: 'started',
    runDir: run.runDir,
    runName: config.name,
    engine: run.engine,
    model: run.denoiser.describe(),
    dataset: `${clean.name}: ${clean.train.count} train, ${clean.val.count} validation, ${clean.test.count} test`,
    trainSize: clean.train.count,
    epochs: config.training.epochs,
    batchesPerEpoch: Math.ceil(clean.train.count / config.training.batchSize),
  });
  if (config.dataset.source === 'imageFolder') {
    const size = `${clean.train.width}x${clean.train.height}`;
    const message =
      `A ${config.model.type} model takes one image size: every image is gray and resized to ${size} ` +
      '(dataset.imageSize); fully convolutional models (conv, dncnn, unet) train on patches at full resolution.';
    run.emit({ type: 'log', message });
  }
  if (resume)
    run.emit({ type: 'log', message: describeResume(resume, config.training.epochs, run.resumeState !== undefined) });
}

/** status.json while the run trains: how many epochs are done. */
export function writeRunningStatus(run: ExperimentRun, epoch: number): void {
  const { runDir, startedAt, config } = run;
  const epochs = config.training.epochs;
  writeRunStatus(runDir, { status: 'running', startedAt: startedAt.toISOString(), epoch, epochs });
}
