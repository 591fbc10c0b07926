import { existsSync, readFileSync } from 'node:fs';
import { readRunSummary } from '../../core/runs/listRuns';
import { readEpochRecords } from '../../core/runs/metricsLog';
import { epochImagePath, runFile } from '../../core/runs/runFiles';
import { readSampleGrid } from '../../core/runs/runImages';
import { readRunStatus } from '../../core/runs/runStatus';
import type { RunStatus, SampleImages, TrainingEvent } from '../../core/training/events';
import { processAlive } from '../../core/process/processAlive';

/** progress.json as the trainer writes it (src/trainer/progressFile.ts). */
interface Progress {
  readonly started?: Extract<TrainingEvent, { type: 'started' }>;
  readonly batch?: Extract<TrainingEvent, { type: 'batch' }>;
}

export interface FeedEnding {
  readonly ending: RunStatus;
  readonly message: string;
}

/** The sample images the trainer wrote after an epoch (epochs/epoch-NNNN.png), or undefined. */
function readEpochImages(runDir: string, epoch: number): SampleImages | undefined {
  const file = epochImagePath(runDir, epoch);
  if (!existsSync(file)) return undefined;
  try {
    const { clean, noisy, denoised } = readSampleGrid(runDir, file);
    return {
      count: noisy.count,
      height: noisy.height,
      width: noisy.width,
      ...(clean ? { clean: clean.bytes } : {}),
      noisy: noisy.bytes,
      denoised: denoised.bytes,
    };
  } catch {
    // Being written right now (the rename has not happened): the next epoch's images will come.
    return undefined;
  }
}

function readProgress(runDir: string): Progress {
  try {
    return JSON.parse(readFileSync(runFile(runDir, 'progress'), 'utf8')) as Progress;
  } catch {
    return {};
  }
}

/**
 * Follows a run whose trainer was started by an earlier window (the window reloaded) through its folder:
 * the start, each new epoch of metrics.jsonl, the latest batch of progress.json, then how it really ended
 * (summary.json, or "interrupted" when the process died without one). `poll` is public so tests drive it.
 */
export class RunFolderFeed {
  private epochsSeen = 0;
  private samplesEpoch = 0;
  private startedSent = false;
  private lastBatch = '';
  private timer: NodeJS.Timeout | undefined;
  private done = false;

  constructor(
    readonly runDir: string,
    private readonly onEvent: (event: TrainingEvent) => void,
    private readonly onEnded: (ending: FeedEnding) => void,
  ) {}

  start(intervalMs = 1000): void {
    this.poll();
    if (!this.done) this.timer = setInterval(() => this.poll(), intervalMs);
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  poll(): void {
    if (this.done) return;
    const progress = readProgress(this.runDir);
    if (progress.started && !this.startedSent) {
      this.startedSent = true;
      this.onEvent(progress.started);
    }
    const epochs = progress.started?.epochs ?? readRunStatus(this.runDir)?.epochs ?? 0;
    const records = readEpochRecords(this.runDir);
    for (const record of records.slice(this.epochsSeen)) {
      this.onEvent({ type: 'epoch', epochs, etaSeconds: progress.batch?.etaSeconds ?? 0, ...record });
    }
    // The images are written after the epoch's metrics line (and its checkpoint): tried again until there.
    for (let k = records.length - 1; k >= 0 && records[k].epoch > this.samplesEpoch; k--) {
      const { epoch } = records[k];
      const images = readEpochImages(this.runDir, epoch);
      if (!images) continue;
      this.samplesEpoch = epoch;
      this.onEvent({ type: 'samples', epoch, images });
      break;
    }
    this.epochsSeen = Math.max(this.epochsSeen, records.length);
    const batch = JSON.stringify(progress.batch ?? null);
    if (progress.batch && batch !== this.lastBatch) this.onEvent(progress.batch);
    this.lastBatch = batch;
    const status = readRunStatus(this.runDir);
    // The run has ended when its trainer has: it writes summary.json and then exits.
    if (!status || status.status === 'running' || processAlive(status.pid)) return;
    const summary = readRunSummary(this.runDir);
    this.done = true;
    this.dispose();
    this.onEnded(
      summary
        ? { ending: summary.status, message: summary.message }
        : {
            ending: 'interrupted',
            message:
              'The trainer ended without writing its results (killed or crashed); Resume Run continues it from its last finished epoch.',
          },
    );
  }
}
