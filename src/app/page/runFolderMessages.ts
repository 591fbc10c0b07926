/**
 * A saved run folder as the messages the Denoise Lab page draws (the same ones a live run sends): its
 * start, one epoch message per line of metrics.jsonl, its final samples, its ending, a one-run comparison
 * and its generation images. Used by `denoise report` and by the extension for finished runs.
 * No TensorFlow.js: PNGs are decoded with pngjs.
 */
import { basename } from 'node:path';
import { describeRun, readRunConfig, type RunListing } from '../../core/runs/listRuns';
import { readEpochRecords } from '../../core/runs/metricsLog';
import { existsSync } from 'node:fs';
import { epochImagePath } from '../../core/runs/runFiles';
import { readRunGeneration, readRunSamples, readSampleGrid, type SampleColumns } from '../../core/runs/runImages';
import { packEpochSamples } from '../../protocol/epochSamplesPacking';
import type { EncodedSamples, EpochPoint, HostToWebview } from '../../protocol/webviewMessages';
import { engineLabel } from '../engineLabel';
import { runRow } from '../runs/runRow';
import { encodeImages, encodeSamples } from './encodeImages';
import { epochPoint } from './epochPoint';

type ComparedRun = Extract<HostToWebview, { type: 'comparison' }>['runs'][number];

/** The final samples of a run (samples.png), or undefined when it wrote none. */
export function runSamples(runDir: string): EncodedSamples | undefined {
  const samples = readRunSamples(runDir);
  return samples && encodeColumns(samples);
}

function encodeColumns({ clean, noisy, denoised }: SampleColumns): EncodedSamples {
  const { count, height, width } = noisy;
  return encodeSamples({ count, height, width, clean: clean?.bytes, noisy: noisy.bytes, denoised: denoised.bytes });
}

/** A run's samples after one epoch (epochs/epoch-NNNN.png), or undefined when it kept none for that epoch. */
export function epochSamples(runDir: string, epoch: number): EncodedSamples | undefined {
  const file = epochImagePath(runDir, epoch);
  if (!existsSync(file)) return undefined;
  return encodeColumns(readSampleGrid(runDir, file));
}

/**
 * A run's images after each epoch that kept them, as the answers to the epoch slider's requests: a report
 * embeds them, since no host is there to read the PNGs when the slider moves.
 */
export function allEpochSamples(runDir: string): Extract<HostToWebview, { type: 'epochSamples' }>[] {
  return readEpochRecords(runDir).flatMap((record) => {
    const samples = epochSamples(runDir, record.epoch);
    return samples ? [packEpochSamples(record.epoch, [{ runDir, samples }])] : [];
  });
}

/** The run's curves, one point per line of metrics.jsonl. */
export function runCurve(runDir: string): EpochPoint[] {
  return readEpochRecords(runDir).map(epochPoint);
}

/**
 * A run as one entry of a comparison: its row, curves and samples. `samples` reads the sample images, so
 * a caller that shows runs whose images may be unreadable can skip them.
 */
export function comparedRun(listing: RunListing, samples = runSamples): ComparedRun {
  return { row: runRow(listing), curve: runCurve(listing.runDir), samples: samples(listing.runDir) };
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
      images: encodeImages(c.images),
    })),
  };
}

/** `read`'s result, or undefined with the problem noted when an image file of the run cannot be read. */
function readable<T>(read: () => T, problems: string[]): T | undefined {
  try {
    return read();
  } catch (err) {
    problems.push((err as Error).message);
    return undefined;
  }
}

/**
 * Everything a report of one run shows, in the order a live run would have sent it. A damaged file leaves out
 * what it held; what is wrong, file by file, goes into the ending's message, and `problems` when given.
 */
export function runFolderMessages(runDir: string, problems: string[] = []): HostToWebview[] {
  const listing = describeRun(runDir);
  problems.push(...(listing.problems ?? []));
  const config = readRunConfig(runDir);
  const { summary } = listing;
  const runId = basename(runDir);
  const records = readEpochRecords(runDir);
  const epochs = config?.training.epochs ?? listing.epochs ?? records.length;
  const trainSize = config?.dataset.trainSize ?? 0;
  const batchSize = config?.training.batchSize ?? 1;
  const samples = readable(() => runSamples(runDir), problems);
  const compared: ComparedRun = { row: runRow(listing), curve: records.map(epochPoint), samples };
  const messages: HostToWebview[] = [
    {
      type: 'runStarted',
      runId,
      runName: listing.name,
      runDir,
      engine: summary ? engineLabel(summary.engine) : 'unknown engine',
      model: summary?.model ?? config?.model.type ?? 'unknown',
      dataset: summary?.dataset ?? config?.dataset.source ?? 'unknown',
      epochs,
      batchesPerEpoch: Math.max(1, Math.ceil(trainSize / batchSize)),
    },
    ...records.map((r): HostToWebview => ({
      type: 'epoch',
      runId,
      ...epochPoint(r),
      epochs,
      etaSeconds: 0,
      samplesPerSecond: r.samplesPerSecond,
      best: r.best,
    })),
  ];
  const epoch = summary?.epochsCompleted ?? records.at(-1)?.epoch ?? 0;
  if (compared.samples) messages.push({ type: 'samples', runId, epoch, images: compared.samples });
  if (listing.status !== 'running' && listing.status !== 'unknown') {
    messages.push({
      type: 'runEnded',
      runId,
      runDir,
      ending: listing.status,
      message: [summary?.message ?? '', ...problems.map((p) => `${basename(runDir)}/${p}`)].filter(Boolean).join('\n'),
      row: compared.row,
    });
  }
  messages.push({ type: 'comparison', runs: [compared] });
  const generation = readable(() => generationMessage(runDir), problems);
  if (generation) messages.push(generation);
  return messages;
}
