/** Validators for what a trainer reports: training events and the run summary. */
import type { EngineInfo } from '../core/engine/selectEngine';
import type { ComparisonRow, RunSummary, SplitResult, TestReadability } from '../core/runs/runSummary';
import type { QualityMetrics, SampleImages, TrainingEvent } from '../core/training/events';
import { LIMITS } from './limits';
import { RUN_STATUSES } from './runStatuses';
import {
  array,
  boolean,
  bytes,
  count,
  imageShape,
  messageType,
  number,
  object,
  oneOf,
  optionalNumber,
  optionalString,
  string,
  stringItem,
  type Fields,
} from './validateFields';

const EVENT_TYPES = ['started', 'batch', 'epoch', 'samples', 'log', 'finished', 'failed'] as const satisfies readonly TrainingEvent['type'][];

const nonNegative = { min: 0 };
const epochCount = (o: Fields, key: string, at: string) => number(o, key, at, { min: 0, max: 1_000_000, integer: true });

function engine(value: unknown, at: string): EngineInfo {
  const o = object(value, at);
  return {
    name: string(o, 'name', at) as EngineInfo['name'],
    backend: string(o, 'backend', at),
    threads: count(o, 'threads', at, 1024),
    notes: array(o, 'notes', at, LIMITS.notes, stringItem(LIMITS.text)),
  };
}

function quality(value: unknown, at: string): QualityMetrics {
  const o = object(value, at);
  return {
    mse: number(o, 'mse', at, nonNegative),
    psnr: number(o, 'psnr', at),
    ssim: number(o, 'ssim', at, { min: -1, max: 1 }),
    count: count(o, 'count', at),
  };
}

function split(value: unknown, at: string): SplitResult {
  const o = object(value, at);
  return {
    denoised: quality(o.denoised, `${at}.denoised`),
    noisyInput: quality(o.noisyInput, `${at}.noisyInput`),
    ...(o.cleanReconstruction === undefined ? {} : { cleanReconstruction: quality(o.cleanReconstruction, `${at}.cleanReconstruction`) }),
  };
}

const fraction = { min: 0, max: 1 };

function testReadability(value: unknown, at: string): TestReadability {
  const o = object(value, at);
  return { clean: number(o, 'clean', at, fraction), noisyInput: number(o, 'noisyInput', at, fraction), denoised: number(o, 'denoised', at, fraction) };
}

function comparisonRow(value: unknown, at: string): ComparisonRow {
  const o = object(value, at);
  const readability = optionalNumber(o, 'readability', at, fraction);
  return {
    ...quality(o, at),
    method: string(o, 'method', at),
    label: string(o, 'label', at, LIMITS.text),
    ...(readability === undefined ? {} : { readability }),
    seconds: number(o, 'seconds', at, nonNegative),
  };
}

/** Runs written before learning-rate schedules existed report no rate; the key is then left out, not undefined. */
function optionalLearningRate(o: Fields, at: string): { learningRate?: number } {
  const learningRate = optionalNumber(o, 'learningRate', at, { min: 0, max: 100 });
  return learningRate === undefined ? {} : { learningRate };
}

export function sampleImages(value: unknown, at: string): SampleImages {
  const o = object(value, at);
  const { count, height, width, length } = imageShape(o, at);
  return {
    count,
    height,
    width,
    clean: bytes(o, 'clean', at, length),
    noisy: bytes(o, 'noisy', at, length),
    denoised: bytes(o, 'denoised', at, length),
  };
}

export function trainingEvent(value: unknown, at: string): TrainingEvent {
  const o = object(value, at);
  const type = messageType(o, EVENT_TYPES, at);
  switch (type) {
    case 'started':
      return {
        type,
        runDir: string(o, 'runDir', at, LIMITS.path),
        runName: string(o, 'runName', at),
        engine: engine(o.engine, `${at}.engine`),
        model: string(o, 'model', at, LIMITS.text),
        dataset: string(o, 'dataset', at, LIMITS.text),
        trainSize: count(o, 'trainSize', at),
        epochs: epochCount(o, 'epochs', at),
        batchesPerEpoch: count(o, 'batchesPerEpoch', at),
      };
    case 'batch':
      return {
        type,
        epoch: epochCount(o, 'epoch', at),
        batch: count(o, 'batch', at),
        batchesPerEpoch: count(o, 'batchesPerEpoch', at),
        loss: number(o, 'loss', at),
        samplesPerSecond: number(o, 'samplesPerSecond', at, nonNegative),
        etaSeconds: number(o, 'etaSeconds', at, nonNegative),
      };
    case 'epoch':
      return {
        type,
        epoch: epochCount(o, 'epoch', at),
        epochs: epochCount(o, 'epochs', at),
        etaSeconds: number(o, 'etaSeconds', at, nonNegative),
        trainLoss: number(o, 'trainLoss', at),
        valLoss: number(o, 'valLoss', at),
        val: quality(o.val, `${at}.val`),
        seconds: number(o, 'seconds', at, nonNegative),
        samplesPerSecond: number(o, 'samplesPerSecond', at, nonNegative),
        best: boolean(o, 'best', at),
        ...optionalLearningRate(o, at),
      };
    case 'samples':
      return { type, epoch: epochCount(o, 'epoch', at), images: sampleImages(o.images, `${at}.images`) };
    case 'log':
      return { type, message: string(o, 'message', at, LIMITS.text) };
    case 'finished':
      return {
        type,
        status: oneOf(o, 'status', at, RUN_STATUSES),
        runDir: string(o, 'runDir', at, LIMITS.path),
        message: string(o, 'message', at, LIMITS.text),
      };
    case 'failed':
      return {
        type,
        reason: oneOf(o, 'reason', at, ['diverged', 'error'] as const),
        message: string(o, 'message', at, LIMITS.text),
        hint: optionalString(o, 'hint', at, LIMITS.text),
        runDir: optionalString(o, 'runDir', at, LIMITS.path),
      };
  }
}

export function runSummary(value: unknown, at: string): RunSummary {
  const o = object(value, at);
  const metrics = o.metrics === undefined ? undefined : object(o.metrics, `${at}.metrics`);
  return {
    name: string(o, 'name', at),
    description: string(o, 'description', at, LIMITS.text),
    runDir: string(o, 'runDir', at, LIMITS.path),
    status: oneOf(o, 'status', at, RUN_STATUSES),
    message: string(o, 'message', at, LIMITS.text),
    startedAt: string(o, 'startedAt', at),
    finishedAt: string(o, 'finishedAt', at),
    durationSeconds: number(o, 'durationSeconds', at, nonNegative),
    engine: engine(o.engine, `${at}.engine`),
    model: string(o, 'model', at, LIMITS.text),
    dataset: string(o, 'dataset', at, LIMITS.text),
    noise: string(o, 'noise', at, LIMITS.text),
    epochsCompleted: epochCount(o, 'epochsCompleted', at),
    bestEpoch: epochCount(o, 'bestEpoch', at),
    samplesPerSecond: number(o, 'samplesPerSecond', at, nonNegative),
    ...(o.trainingSteps === undefined ? {} : { trainingSteps: optionalString(o, 'trainingSteps', at, LIMITS.text) }),
    finalTrainLoss: optionalNumber(o, 'finalTrainLoss', at),
    finalValLoss: optionalNumber(o, 'finalValLoss', at),
    metrics: metrics && {
      train: split(metrics.train, `${at}.metrics.train`),
      val: split(metrics.val, `${at}.metrics.val`),
      test: split(metrics.test, `${at}.metrics.test`),
    },
    ...(o.readability === undefined ? {} : { readability: testReadability(o.readability, `${at}.readability`) }),
    ...(o.comparison === undefined ? {} : { comparison: array(o, 'comparison', at, 16, comparisonRow) }),
  };
}
