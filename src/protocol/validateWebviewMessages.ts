/**
 * Validators for both directions of the host ↔ webview channel (see webviewMessages.ts): the host checks
 * what a page asks for, the page checks what the host sends before drawing it.
 */
import { decodedLength } from './base64';
import { LIMITS } from './limits';
import { RUN_STATUSES } from './runStatuses';
import {
  array,
  boolean,
  check,
  count,
  imageShape,
  messageType,
  number,
  object,
  oneOf,
  optionalNumber,
  optionalString,
  ProtocolError,
  string,
  stringItem,
  type Checked,
  type Fields,
} from './validateFields';
import type { EncodedImages, EncodedSamples, EpochPoint, HostToWebview, ImageColumn, RunEnding, RunRow, SplitFigures, WebviewToHost } from './webviewMessages';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A base64 field that decodes to exactly `length` bytes (checked without decoding). */
function base64(o: Fields, key: string, at: string, length: number): string {
  const text = string(o, key, at, Math.ceil(length / 3) * 4);
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw new ProtocolError(`${at}.${key}: not base64`);
  if (decodedLength(text) !== length) throw new ProtocolError(`${at}.${key}: expected ${length} bytes, got ${decodedLength(text)}`);
  return text;
}

function encodedImages(value: unknown, at: string): EncodedImages {
  const o = object(value, at);
  const { count, height, width, length } = imageShape(o, at);
  return { count, height, width, pixels: base64(o, 'pixels', at, length) };
}

function imageColumn(value: unknown, at: string): ImageColumn {
  const c = object(value, at);
  return { label: string(c, 'label', at), detail: string(c, 'detail', at), images: encodedImages(c.images, `${at}.images`) };
}

function encodedSamples(value: unknown, at: string): EncodedSamples {
  const o = object(value, at);
  const { count, height, width, length } = imageShape(o, at);
  return {
    count,
    height,
    width,
    clean: base64(o, 'clean', at, length),
    noisy: base64(o, 'noisy', at, length),
    denoised: base64(o, 'denoised', at, length),
  };
}

function epochPoint(value: unknown, at: string): EpochPoint {
  const o = object(value, at);
  return {
    epoch: count(o, 'epoch', at),
    trainLoss: number(o, 'trainLoss', at),
    valLoss: number(o, 'valLoss', at),
    valPsnr: number(o, 'valPsnr', at),
    valSsim: number(o, 'valSsim', at),
  };
}

function figures(value: unknown, at: string): SplitFigures | undefined {
  if (value === undefined) return undefined;
  const o = object(value, at);
  return { mse: number(o, 'mse', at), psnr: number(o, 'psnr', at), ssim: number(o, 'ssim', at) };
}

function runRow(value: unknown, at: string): RunRow {
  const o = object(value, at);
  return {
    runDir: string(o, 'runDir', at, LIMITS.path),
    name: string(o, 'name', at),
    status: oneOf(o, 'status', at, [...RUN_STATUSES, 'unknown'] as const),
    startedAt: optionalString(o, 'startedAt', at),
    durationSeconds: optionalNumber(o, 'durationSeconds', at, { min: 0 }),
    noise: optionalString(o, 'noise', at, LIMITS.text),
    model: optionalString(o, 'model', at, LIMITS.text),
    layers: optionalNumber(o, 'layers', at, { min: 0, integer: true }),
    codeSize: optionalNumber(o, 'codeSize', at, { min: 0, integer: true }),
    optimizer: optionalString(o, 'optimizer', at),
    learningRate: optionalNumber(o, 'learningRate', at),
    batchSize: optionalNumber(o, 'batchSize', at, { min: 1, integer: true }),
    epochs: optionalNumber(o, 'epochs', at, { min: 0, integer: true }),
    epochsCompleted: optionalNumber(o, 'epochsCompleted', at, { min: 0, integer: true }),
    train: figures(o.train, `${at}.train`),
    val: figures(o.val, `${at}.val`),
    test: figures(o.test, `${at}.test`),
    readability: optionalNumber(o, 'readability', at, { min: 0, max: 1 }),
  };
}

const ENDINGS: readonly RunEnding[] = [...RUN_STATUSES, 'cancelled', 'badInput', 'crashed'];
const runId = (o: Fields, at: string) => string(o, 'runId', at, 100);

/** What a page accepts from the host. */
export function validateHostToWebview(value: unknown): Checked<HostToWebview> {
  return check((): HostToWebview => {
    const o = object(value, 'message');
    const type = messageType(o, [
      'init', 'noisePreview', 'noisePreviewError', 'runQueued', 'runStarted', 'batch', 'epoch', 'samples', 'runEnded', 'runs', 'comparison', 'generation',
    ] as const);
    const at = type;
    switch (type) {
      case 'init':
        return { type, protocolVersion: count(o, 'protocolVersion', at), view: oneOf(o, 'view', at, ['dashboard', 'reconstructions'] as const) };
      case 'noisePreview':
        return {
          type,
          configFile: string(o, 'configFile', at, LIMITS.path),
          columns: array(o, 'columns', at, LIMITS.previewColumns, imageColumn),
        };
      case 'generation':
        return {
          type,
          runDir: string(o, 'runDir', at, LIMITS.path),
          runName: string(o, 'runName', at),
          columns: array(o, 'columns', at, LIMITS.previewColumns, imageColumn),
        };
      case 'noisePreviewError':
        return {
          type,
          configFile: string(o, 'configFile', at, LIMITS.path),
          problems: array(o, 'problems', at, LIMITS.problems, (v, where) => {
            const p = object(v, where);
            return { path: string(p, 'path', where), message: string(p, 'message', where, LIMITS.text) };
          }),
        };
      case 'runQueued':
        return { type, runId: runId(o, at), runName: string(o, 'runName', at), configFile: string(o, 'configFile', at, LIMITS.path) };
      case 'runStarted':
        return {
          type,
          runId: runId(o, at),
          runName: string(o, 'runName', at),
          runDir: string(o, 'runDir', at, LIMITS.path),
          engine: string(o, 'engine', at),
          model: string(o, 'model', at, LIMITS.text),
          dataset: string(o, 'dataset', at, LIMITS.text),
          epochs: count(o, 'epochs', at),
          batchesPerEpoch: count(o, 'batchesPerEpoch', at),
        };
      case 'batch':
        return {
          type,
          runId: runId(o, at),
          epoch: count(o, 'epoch', at),
          batch: count(o, 'batch', at),
          batchesPerEpoch: count(o, 'batchesPerEpoch', at),
          loss: number(o, 'loss', at),
          samplesPerSecond: number(o, 'samplesPerSecond', at, { min: 0 }),
          etaSeconds: number(o, 'etaSeconds', at, { min: 0 }),
        };
      case 'epoch':
        return {
          type,
          runId: runId(o, at),
          ...epochPoint(o, at),
          epochs: count(o, 'epochs', at),
          etaSeconds: number(o, 'etaSeconds', at, { min: 0 }),
          samplesPerSecond: number(o, 'samplesPerSecond', at, { min: 0 }),
          best: boolean(o, 'best', at),
        };
      case 'samples':
        return { type, runId: runId(o, at), epoch: count(o, 'epoch', at), images: encodedSamples(o.images, `${at}.images`) };
      case 'runEnded':
        return {
          type,
          runId: runId(o, at),
          runDir: optionalString(o, 'runDir', at, LIMITS.path),
          ending: oneOf(o, 'ending', at, ENDINGS),
          message: string(o, 'message', at, LIMITS.text),
        };
      case 'runs':
        return { type, runs: array(o, 'runs', at, LIMITS.runs, runRow) };
      case 'comparison':
        return {
          type,
          runs: array(o, 'runs', at, LIMITS.runs, (v, where) => {
            const r = object(v, where);
            return {
              row: runRow(r.row, `${where}.row`),
              curve: array(r, 'curve', where, LIMITS.epochs, epochPoint),
              samples: r.samples === undefined ? undefined : encodedSamples(r.samples, `${where}.samples`),
            };
          }),
          selected: o.selected === undefined ? undefined : boolean(o, 'selected', at),
        };
    }
  });
}

/** What the host accepts from a page. Paths are only checked for shape here; handlers check they are known runs. */
export function validateWebviewToHost(value: unknown): Checked<WebviewToHost> {
  return check((): WebviewToHost => {
    const o = object(value, 'message');
    const type = messageType(o, ['ready', 'stopRun', 'requestNoisePreview', 'requestRuns', 'compareRuns', 'openRunFolder', 'requestGeneration', 'exportResults', 'reportError'] as const);
    const at = type;
    const runDirs = () => array(o, 'runDirs', at, LIMITS.runs, stringItem(LIMITS.path));
    switch (type) {
      case 'ready':
        return { type, protocolVersion: count(o, 'protocolVersion', at) };
      case 'stopRun':
        return { type, runId: runId(o, at) };
      case 'requestNoisePreview':
      case 'requestRuns':
        return { type };
      case 'compareRuns':
        return { type, runDirs: runDirs() };
      case 'openRunFolder':
      case 'requestGeneration':
        return { type, runDir: string(o, 'runDir', at, LIMITS.path) };
      case 'exportResults':
        return { type, runDirs: runDirs(), format: oneOf(o, 'format', at, ['csv', 'markdown'] as const) };
      case 'reportError':
        return { type, message: string(o, 'message', at, LIMITS.text) };
    }
  });
}
