/**
 * A saved run folder as the messages the Denoise Lab page draws (the same ones a live run sends): its
 * start, one epoch message per line of metrics.jsonl, its final samples, its ending, a one-run comparison
 * and its generation images. Used by `denoise report` and by the extension for finished runs.
 * No TensorFlow.js: PNGs are decoded with pngjs.
 */
import { basename } from 'node:path';
import { describeRun, readRunConfig } from '../core/runs/listRuns';
import { readEpochRecords } from '../core/runs/metricsLog';
import { readRunGeneration, readRunSamples, type GridColumnBytes } from '../core/runs/runImages';
import { encodeBase64 } from '../protocol/base64';
import type { EncodedImages, EncodedSamples, EpochPoint, HostToWebview } from '../protocol/webviewMessages';
import { runRow } from '../extension/host/runRows';

const encode = (c: GridColumnBytes): EncodedImages => ({ count: c.count, height: c.height, width: c.width, pixels: encodeBase64(c.bytes) });

export function runSamples(runDir: string): EncodedSamples | undefined {
  const samples = readRunSamples(runDir);
  if (!samples) return undefined;
  const { count, height, width } = samples.clean;
  return { count, height, width, clean: encodeBase64(samples.clean.bytes), noisy: encodeBase64(samples.noisy.bytes), denoised: encodeBase64(samples.denoised.bytes) };
}

/** The generation message of a run, or undefined when it wrote no generation.png. */
export function generationMessage(runDir: string): Extract<HostToWebview, { type: 'generation' }> | undefined {
  const config = readRunConfig(runDir);
  const listing = describeRun(runDir);
  const generation = config?.evaluation?.generation;
  if (!generation) return undefined;
  const columns = readRunGeneration(runDir, generation.randomInputs);
  if (!columns) return undefined;
  return {
    type: 'generation',
    runDir,
    runName: listing.name,
    columns: columns.map((c) => ({
      label: c.label,
      detail: c.label === 'input' ? `blank value ${generation.blankValue}, then uniform random` : '',
      images: encode(c.images),
    })),
  };
}

/** Everything a report of one run shows, in the order a live run would have sent it. */
export function runFolderMessages(runDir: string): HostToWebview[] {
  const listing = describeRun(runDir);
  const config = readRunConfig(runDir);
  const { summary } = listing;
  const runId = basename(runDir);
  const records = readEpochRecords(runDir);
  const epochs = config?.training.epochs ?? listing.epochs ?? records.length;
  const trainSize = config?.dataset.trainSize ?? 0;
  const batchSize = config?.training.batchSize ?? 1;
  const engine = summary ? `${summary.engine.name} (${summary.engine.backend}, ${summary.engine.threads} thread${summary.engine.threads === 1 ? '' : 's'})` : 'unknown engine';
  const curve: EpochPoint[] = records.map((r) => ({ epoch: r.epoch, trainLoss: r.trainLoss, valLoss: r.valLoss, valPsnr: r.val.psnr, valSsim: r.val.ssim }));
  const samples = runSamples(runDir);
  const messages: HostToWebview[] = [
    {
      type: 'runStarted',
      runId,
      runName: listing.name,
      runDir,
      engine,
      model: summary?.model ?? config?.model.type ?? 'unknown',
      dataset: summary?.dataset ?? config?.dataset.source ?? 'unknown',
      epochs,
      batchesPerEpoch: Math.max(1, Math.ceil(trainSize / batchSize)),
    },
    ...records.map((r, i): HostToWebview => ({
      type: 'epoch',
      runId,
      ...curve[i],
      epochs,
      etaSeconds: 0,
      samplesPerSecond: r.samplesPerSecond,
      best: r.best,
    })),
  ];
  if (samples) messages.push({ type: 'samples', runId, epoch: summary?.epochsCompleted ?? records.at(-1)?.epoch ?? 0, images: samples });
  if (listing.status !== 'running' && listing.status !== 'unknown') {
    messages.push({ type: 'runEnded', runId, runDir, ending: listing.status, message: summary?.message ?? '' });
  }
  messages.push({ type: 'comparison', runs: [{ row: runRow(listing), curve, samples }] });
  const generation = generationMessage(runDir);
  if (generation) messages.push(generation);
  return messages;
}
