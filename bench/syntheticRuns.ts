/**
 * A runs folder as a busy user's looks after weeks of work, for the load bench (issue 24: 1,000 runs and a
 * 200-run sweep). Written with the project's own writers, so the folders are the real format: the run folder
 * (createRunFolder's time-stamped name), config.json from resolveConfig (a sweep's from expandSweep),
 * status.json (writeRunStatus), summary.json (buildRunSummary), metrics.jsonl (appendEpochRecord, one line an
 * epoch), notes.json on some (updateRunNotes), samples.png and epoch images on a few (writeSampleGrid), and the
 * sweep's folder with results.md, results.csv and sweep.json (writeSweepResults). No training runs.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSweepResults, createSweepFolder, type SweepRunOutcome } from '../src/app/sweep/sweepResults';
import type { ExperimentConfig } from '../src/core/config/experimentConfig.generated';
import { resolveConfig } from '../src/core/config/loadConfig';
import type { EngineInfo } from '../src/core/engine/selectEngine';
import { buildRunSummary } from '../src/core/experiment/buildRunSummary';
import { writeSampleGrid } from '../src/core/experiment/sampleImages';
import { writeJsonAtomic } from '../src/core/files/atomicWrite';
import { appendEpochRecord } from '../src/core/runs/metricsLog';
import { epochImagePath, runFile } from '../src/core/runs/runFiles';
import { createRunFolder } from '../src/core/runs/runFolder';
import { updateRunNotes } from '../src/core/runs/runNotes';
import { writeRunStatus } from '../src/core/runs/runStatus';
import { expandSweep } from '../src/core/sweep/expandSweep';
import type { EpochRecord, RunStatus } from '../src/core/training/events';

export interface SyntheticRunsOptions {
  /** Run folders in all, the sweep's included (1,000). */
  readonly runs: number;
  /** Of them, the runs of one sweep (200; a grid of learning rate x batch size x code size). */
  readonly sweepRuns: number;
  /** metrics.jsonl lines of a completed run (100). */
  readonly epochs: number;
  /** Runs that also get samples.png and every epoch's image (a few: the listing never reads them). */
  readonly withImages: number;
  /** Where to write; a new temporary folder by default. */
  readonly runsDir?: string;
}

export interface SyntheticRuns {
  readonly runsDir: string;
  readonly sweepFolder: string;
  readonly runDirs: readonly string[];
}

/** A deterministic stream of numbers in [0, 1), so every bench run writes the same folders. */
function numbers(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ENGINE: EngineInfo = { name: 'wasm-blas', backend: 'wasm', threads: 2, notes: [] };

/** The experiments a user runs again and again (so many runs share a name, as the labels must tell apart). */
const EXPERIMENTS: readonly Record<string, unknown>[] = [
  {
    name: 'quick-start',
    dataset: { source: 'mnist', trainSize: 10000 },
    noise: { steps: [{ type: 'gaussian', variance: 0.01 }] },
    model: { type: 'dense', depth: 5, codeSize: 100 },
    training: { optimizer: 'sgd', learningRate: 0.8, epochs: 100, batchSize: 256 },
  },
  {
    name: 'dncnn-mnist',
    dataset: { source: 'mnist', trainSize: 4000 },
    noise: { steps: [{ type: 'gaussian', variance: 0.02 }] },
    model: { type: 'dncnn', depth: 5, filters: 32 },
    training: { optimizer: 'adam', learningRate: 0.001, epochs: 100, batchSize: 128 },
  },
  {
    name: 'salt-pepper',
    dataset: { source: 'mnist', trainSize: 10000 },
    noise: { steps: [{ type: 'saltPepper', amount: 0.1 }] },
    model: { type: 'conv', filters: [32, 64] },
    training: { optimizer: 'adam', learningRate: 0.001, epochs: 100, batchSize: 64 },
  },
];

/** The sweep: a grid of learning rate x batch size x code size, 200 points (fewer learning rates for fewer runs). */
function sweepExperiment(runs: number): Record<string, unknown> {
  const learningRates = [0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1, 1.2, 1.5, 2];
  const grid = {
    'training.learningRate': learningRates.slice(0, Math.max(1, Math.ceil(runs / 20))),
    'training.batchSize': [32, 64, 128, 256, 512],
    'model.codeSize': [10, 32, 100, 500],
  };
  return { ...EXPERIMENTS[0], name: 'lr-batch-code', sweep: { grid, parallel: 1 } };
}

/** Checked configs by experiment and overrides: the few combinations the loose runs use, each checked once. */
const checked = new Map<string, ExperimentConfig>();

function resolved(raw: Record<string, unknown>, overrides: string[]): ExperimentConfig {
  const key = JSON.stringify([raw.name, overrides]);
  const known = checked.get(key);
  if (known) return known;
  const { config, problems } = resolveConfig(raw, overrides);
  if (!config) throw new Error(`synthetic experiment ${String(raw.name)}: ${JSON.stringify(problems)}`);
  checked.set(key, config);
  return config;
}

/** How the run ended: most complete; some stop early, stop, fail, diverge, or were killed mid-way. */
function ending(random: () => number): RunStatus {
  const x = random();
  if (x < 0.8) return 'completed';
  if (x < 0.88) return 'earlyStopped';
  if (x < 0.92) return 'stopped';
  if (x < 0.95) return 'diverged';
  if (x < 0.97) return 'failed';
  return 'interrupted';
}

const quality = (psnr: number, count: number) => ({ mse: 10 ** (-psnr / 10), psnr, ssim: 0.3 + psnr / 50, count });

/** One run folder, written as the trainer writes it over the run's life. */
function writeRun(
  runsDir: string,
  config: ExperimentConfig,
  startedAt: Date,
  random: () => number,
  epochsPlanned: number,
  images: boolean,
): { runDir: string; status: RunStatus } {
  const status = ending(random);
  const runDir = createRunFolder(runsDir, config.name, startedAt);
  writeJsonAtomic(runFile(runDir, 'config'), config);
  const epochs =
    status === 'completed'
      ? epochsPlanned
      : status === 'failed'
        ? 0
        : Math.max(1, Math.floor(epochsPlanned * (0.2 + 0.7 * random())));
  writeRunStatus(runDir, { status: 'running', startedAt: startedAt.toISOString(), epoch: 0, epochs: epochsPlanned });
  const finalPsnr = 14 + 10 * random();
  const records: EpochRecord[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const psnr = finalPsnr - 6 / epoch;
    const record: EpochRecord = {
      epoch,
      trainLoss: 0.1 / epoch + 0.01 * random(),
      valLoss: 0.1 / epoch + 0.01 * random(),
      val: quality(psnr, 1000),
      seconds: 2 + random(),
      samplesPerSecond: 4000 + 500 * random(),
      best: true,
      learningRate: config.training.learningRate,
    };
    appendEpochRecord(runDir, record);
    records.push(record);
  }
  if (images) writeImages(runDir, epochs);
  if (status === 'interrupted') {
    // A killed trainer leaves status.json at "running" with its pid gone; readers call it interrupted.
    writeJsonAtomic(runFile(runDir, 'status'), {
      status: 'running',
      pid: 2 ** 22 + 1,
      startedAt: startedAt.toISOString(),
      updatedAt: new Date(startedAt.getTime() + epochs * 2500).toISOString(),
      epoch: epochs,
      epochs: epochsPlanned,
    });
    return { runDir, status };
  }
  const finishedAt = new Date(startedAt.getTime() + epochs * 2500 + 4000);
  const evaluated = status !== 'failed' && status !== 'diverged';
  const split = () => ({ denoised: quality(finalPsnr, 1000), noisyInput: quality(12, 1000) });
  const summary = buildRunSummary(
    {
      config,
      runDir,
      startedAt,
      engine: ENGINE,
      model: `${config.model.type} model`,
      dataset: `MNIST: ${config.dataset.trainSize ?? 50000} train, 1000 validation, 1000 test`,
      epochsBefore: 0,
    },
    {
      status,
      message:
        status === 'diverged' ? 'the loss became NaN at epoch ' + epochs : status === 'failed' ? 'out of memory' : '',
      result: evaluated
        ? {
            status: status === 'earlyStopped' ? 'earlyStopped' : status === 'stopped' ? 'stopped' : 'completed',
            epochs: records,
            bestEpoch: epochs,
            trainSeconds: epochs * 2,
            samplesPerSecond: 4200,
            steps: 'oneDNN',
          }
        : undefined,
    },
    finishedAt,
    evaluated
      ? {
          trainingSteps: 'oneDNN',
          finalTrainLoss: records.at(-1)?.trainLoss,
          finalValLoss: records.at(-1)?.valLoss,
          metrics: { train: split(), val: split(), test: split() },
          readability: { clean: 0.98, noisyInput: 0.7, denoised: 0.9 + 0.08 * random() },
        }
      : undefined,
  );
  writeJsonAtomic(runFile(runDir, 'summary'), summary);
  writeRunStatus(runDir, {
    status,
    startedAt: summary.startedAt,
    epoch: summary.epochsCompleted,
    epochs: epochsPlanned,
    message: summary.message,
  });
  return { runDir, status };
}

/** Encoded grids by denoised gray: a bench writes thousands of images, most alike, so each is encoded once. */
const encoded = new Map<number, string>();

/** samples.png and every epoch's grid: 8 digits of 28 x 28, clean | noisy | denoised (writeSampleGrid's PNG). */
function writeImages(runDir: string, epochs: number): void {
  const count = 8;
  const fill = (v: number) => new Uint8Array(count * 28 * 28).fill(v);
  const image = (file: string, gray: number) => {
    const first = encoded.get(gray);
    if (first && existsSync(first)) return copyFileSync(first, file);
    writeSampleGrid(file, { count, height: 28, width: 28, clean: fill(250), noisy: fill(120), denoised: fill(gray) });
    encoded.set(gray, file);
  };
  mkdirSync(join(runDir, 'epochs'), { recursive: true });
  for (let epoch = 1; epoch <= epochs; epoch++) image(epochImagePath(runDir, epoch), (epoch * 2) % 256);
  image(runFile(runDir, 'samples'), (epochs * 2) % 256);
}

/** Writes the runs folder; the sweep's runs are the newest (started one after the other, as `denoise sweep`). */
export function writeSyntheticRuns(options: SyntheticRunsOptions): SyntheticRuns {
  const runsDir = options.runsDir ?? mkdtempSync(join(tmpdir(), 'denoise-load-'));
  const random = numbers(24);
  const runDirs: string[] = [];
  // One run every 20 minutes over the weeks before the sweep.
  const start = Date.UTC(2026, 9, 1, 8, 0, 0);
  const loose = options.runs - options.sweepRuns;
  for (let i = 0; i < loose; i++) {
    const base = EXPERIMENTS[i % EXPERIMENTS.length];
    const training = base.training as { learningRate: number };
    // The user tries a few learning rates and batch sizes of each experiment, so namesakes differ.
    const config = resolved(base, [
      `training.learningRate=${training.learningRate * [0.5, 1, 2][Math.floor(random() * 3)]}`,
      `training.epochs=${options.epochs}`,
    ]);
    const { runDir } = writeRun(
      runsDir,
      config,
      new Date(start + i * 20 * 60_000),
      random,
      options.epochs,
      i < options.withImages,
    );
    if (i % 10 === 0) updateRunNotes(runDir, { title: `try ${i}`, tags: ['baseline', i % 20 ? 'small' : 'large'] });
    runDirs.push(runDir);
  }
  const sweepStart = start + loose * 20 * 60_000;
  const plan = expandSweep(sweepExperiment(options.sweepRuns), join(runsDir, 'lr-batch-code.denoise.json'), [
    `training.epochs=${options.epochs}`,
  ]);
  const sweepRuns = plan.runs.slice(0, options.sweepRuns);
  const sweepFolder = createSweepFolder(runsDir, plan.name, new Date(sweepStart));
  const outcomes: SweepRunOutcome[] = sweepRuns.map((run, i) => {
    const startedAt = new Date(sweepStart + i * 5 * 60_000);
    const { runDir, status } = writeRun(runsDir, run.config, startedAt, random, options.epochs, false);
    runDirs.push(runDir);
    return { index: run.index, label: run.label, status, runDir };
  });
  writeSweepResults(sweepFolder, { name: plan.name, file: plan.file, total: sweepRuns.length }, outcomes);
  return { runsDir, sweepFolder, runDirs };
}
