import { writeFileAtomic } from '../core/files/atomicWrite';
import { runFile } from '../core/runs/runFiles';
import type { TrainingEvent } from '../core/training/events';

type Started = Extract<TrainingEvent, { type: 'started' }>;
type Batch = Extract<TrainingEvent, { type: 'batch' }>;

/** progress.json: what a window that reattaches to a live run needs beyond metrics.jsonl and status.json. */
export interface ProgressFile {
  readonly started: Started;
  readonly batch?: Batch;
}

/**
 * Keeps progress.json in the run folder up to date: the start event at once, then the latest batch at most
 * once per interval (an atomic rewrite costs a file sync; once a second is plenty for a progress bar).
 * It goes through the run folder, not the IPC channel, so it outlives the window that started the run.
 */
export class ProgressFileWriter {
  private started: Started | undefined;
  private lastWrite = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  record(event: TrainingEvent): void {
    if (event.type === 'started') {
      this.started = event;
      this.write({ started: event });
    } else if (event.type === 'batch' && this.started) {
      const time = this.now();
      if (event.batch !== event.batchesPerEpoch && time - this.lastWrite < this.intervalMs) return;
      this.lastWrite = time;
      this.write({ started: this.started, batch: event });
    }
  }

  private write(progress: ProgressFile): void {
    try {
      writeFileAtomic(runFile(progress.started.runDir, 'progress'), JSON.stringify(progress));
    } catch {
      // Progress is a convenience for a reattaching window; a failed write must not end the run.
    }
  }
}
