/**
 * What the page knows about the runs it has heard of, built from messages alone (no DOM), so that the
 * views can draw it whenever the scheduler says and tests can check it in Node.
 */
import type { EncodedSamples, EpochPoint, HostToWebview, RunEnding, RunRow } from '../../src/protocol/webviewMessages';
import { formatDuration, formatRate } from '../../src/app/format';

export interface BatchPoint {
  /** Epochs done as a fraction: 2.5 is the middle of epoch 3. */
  readonly x: number;
  readonly loss: number;
}

export interface RunState {
  readonly runId: string;
  name: string;
  runDir?: string;
  phase: 'queued' | 'running' | 'ended';
  engine?: string;
  epochs?: number;
  /** Epochs finished. */
  epoch: number;
  /** The epoch the latest batch belongs to: the one in progress, as the notification and Runs view say. */
  batchEpoch?: number;
  samplesPerSecond?: number;
  etaSeconds?: number;
  curve: EpochPoint[];
  batches: BatchPoint[];
  samples?: { epoch: number; images: EncodedSamples };
  ending?: RunEnding;
  endMessage?: string;
  /** Final figures of a finished run. */
  row?: RunRow;
}

/** Batch points kept per run: the faint line needs shape, not every batch of a long run. */
export const BATCH_POINTS_KEPT = 2000;

type RunMessage = Extract<HostToWebview, { runId: string }>;

export class RunStates {
  readonly runs = new Map<string, RunState>();
  /** The run the live view shows: the last one to start, or the last one heard of. */
  focusedId: string | undefined;

  private run(runId: string, name = runId): RunState {
    let run = this.runs.get(runId);
    if (!run) {
      run = { runId, name, phase: 'queued', epoch: 0, curve: [], batches: [] };
      this.runs.set(runId, run);
    }
    return run;
  }

  get focused(): RunState | undefined {
    return this.focusedId === undefined ? undefined : this.runs.get(this.focusedId);
  }

  /** Applies one message about a run; returns false for messages about something else. */
  apply(message: HostToWebview): boolean {
    if (!('runId' in message)) return false;
    const m = message as RunMessage;
    const run = this.run(m.runId);
    switch (m.type) {
      case 'runQueued':
        run.name = m.runName;
        break;
      case 'runStarted':
        Object.assign(run, { name: m.runName, runDir: m.runDir, engine: m.engine, epochs: m.epochs, phase: 'running' });
        this.focusedId = m.runId;
        break;
      case 'batch':
        run.phase = 'running';
        run.epoch = Math.max(run.epoch, m.epoch - 1);
        run.batchEpoch = m.epoch;
        run.samplesPerSecond = m.samplesPerSecond;
        run.etaSeconds = m.etaSeconds;
        run.batches.push({ x: m.epoch - 1 + m.batch / m.batchesPerEpoch, loss: m.loss });
        if (run.batches.length > BATCH_POINTS_KEPT) run.batches = thinOut(run.batches);
        break;
      case 'epoch': {
        const { epoch, trainLoss, valLoss, valPsnr, valSsim } = m;
        // A resumed run or a replay may send an epoch again: the newest figures replace the old.
        run.curve = [
          ...run.curve.filter((p) => p.epoch !== epoch),
          { epoch, trainLoss, valLoss, valPsnr, valSsim },
        ].sort((a, b) => a.epoch - b.epoch);
        Object.assign(run, { epoch, epochs: m.epochs, etaSeconds: m.etaSeconds, samplesPerSecond: m.samplesPerSecond });
        break;
      }
      case 'samples':
        run.samples = { epoch: m.epoch, images: m.images };
        break;
      case 'runEnded':
        Object.assign(run, {
          phase: 'ended',
          ending: m.ending,
          endMessage: m.message,
          runDir: m.runDir ?? run.runDir,
          etaSeconds: 0,
          row: m.row ?? run.row,
        });
        break;
    }
    if (this.focusedId === undefined || (this.focused?.phase === 'ended' && run.phase === 'running'))
      this.focusedId = m.runId;
    return true;
  }
}

/**
 * Shows a saved run (from a comparison message) where no live run is shown yet: the side panel's view of
 * the newest run when nothing trains. A run the user `selected` in the runs view replaces a shown run
 * unless that one is training. A live run later takes the view over.
 */
export function showSavedRun(
  states: RunStates,
  saved: { row: RunRow; curve: readonly EpochPoint[]; samples?: EncodedSamples },
  selected = false,
): void {
  const shown = states.focused;
  if (shown && (!selected || shown.phase === 'running' || shown.phase === 'queued')) return;
  const { row } = saved;
  const epoch = saved.curve.at(-1)?.epoch ?? row.epochsCompleted ?? 0;
  states.runs.set(row.runDir, {
    runId: row.runDir,
    name: row.name,
    runDir: row.runDir,
    phase: row.status === 'running' ? 'running' : 'ended',
    ending: row.status === 'running' || row.status === 'unknown' ? undefined : row.status,
    epoch,
    epochs: row.epochs,
    curve: [...saved.curve],
    batches: [],
    samples: saved.samples && { epoch, images: saved.samples },
    row,
  });
  states.focusedId = row.runDir;
}

/** Halves a long series, keeping every other point and the last one. */
function thinOut(points: BatchPoint[]): BatchPoint[] {
  return points.filter((_, i) => i % 2 === 0 || i === points.length - 1);
}

/** The status line of a run: "wasm-blas · 8,512 samples/s · ETA 2 min 05 s · epoch 3/30", then its ending. */
export function statusLine(run: RunState | undefined): string {
  if (!run) return 'No run yet. Start one with Denoise Lab: Run Experiment.';
  if (run.phase === 'queued') return `${run.name}: queued`;
  // While it trains, the epoch in progress ("epoch 1/3" during the first), as the notification says.
  const shownEpoch = run.phase === 'running' ? Math.max(run.batchEpoch ?? 0, run.epoch) : run.epoch;
  const epoch = `epoch ${shownEpoch}/${run.epochs ?? '?'}`;
  const parts = [
    run.engine,
    run.samplesPerSecond === undefined ? undefined : `${formatRate(run.samplesPerSecond)} samples/s`,
  ];
  if (run.phase === 'running')
    return [`${run.name}: running`, ...parts, `ETA ${formatDuration(run.etaSeconds)}`, epoch]
      .filter(Boolean)
      .join(' · ');
  return [`${run.name}: ${run.ending ?? 'ended'}`, ...parts, epoch, run.endMessage].filter(Boolean).join(' · ');
}
