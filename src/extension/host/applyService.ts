import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readApplyProgress, type ApplyProgress } from '../../app/apply/applyProgress';
import { removeApplyLeftovers } from './applyLeftovers';
import { processAlive } from '../../core/process/processAlive';
import { TrainerProcess, type TrainerOutcome } from './trainerProcess';

export interface ApplyStart {
  /** The trained run (or built-in model) folder. */
  readonly runDir: string;
  readonly inputs: readonly string[];
  readonly out: string;
  /** Tile side and memory budget, as `denoise apply --tile/--memory-mb`; absent: the budget's default. */
  readonly tile?: number;
  readonly memoryMb?: number;
  /** The inputs' noise level on the 0-255 scale, for a model trained at another σ (`denoise apply --sigma`). */
  readonly sigma?: number;
}

/** Where an apply is, as a progress notification shows it. */
export interface ApplyState {
  readonly files?: number;
  /** The file being denoised, 0-based. */
  readonly file?: number;
  readonly tile?: { readonly done: number; readonly total: number };
  /** Files written so far, each complete. */
  readonly outputs: readonly string[];
  readonly model?: string;
}

/** How an apply ended, in words for the user and the files it left. */
export type ApplyEnding =
  | { readonly kind: 'done'; readonly outputs: readonly string[] }
  | {
      readonly kind: 'failed';
      readonly badInput: boolean;
      readonly message: string;
      readonly outputs: readonly string[];
    }
  | { readonly kind: 'cancelled'; readonly message: string; readonly outputs: readonly string[] }
  /** The trainer died without finishing (killed from outside, out of memory, a crash). */
  | { readonly kind: 'killed'; readonly message: string; readonly outputs: readonly string[] };

export interface ApplyServiceOptions {
  readonly trainerPath: string;
  /** A folder of this workspace's storage for the apply progress records (src/app/apply/applyProgress.ts). */
  readonly recordsDir: string;
  readonly env?: () => NodeJS.ProcessEnv;
  readonly log?: (line: string, level?: 'info' | 'error') => void;
  /** How often a reattached apply's record is read. */
  readonly pollMs?: number;
}

/** What was left behind by an apply that did not finish: only complete files, each named. */
function partialWords(outputs: readonly string[], files: number | undefined): string {
  if (!outputs.length) return 'no output file was written';
  const n = outputs.length;
  const count = files ? `${n} of ${files} file${files === 1 ? '' : 's'}` : `${n} file${n === 1 ? '' : 's'}`;
  return `${count} written, each complete; no partial output was left`;
}

/**
 * One apply: forked by this window (a trainer process with a channel) or found live after a reload (followed
 * through its progress record). Either way `cancel` ends its process and `ended` says how it really ended.
 */
export class ApplyJob {
  readonly ended: Promise<ApplyEnding>;
  private current: ApplyState = { outputs: [] };
  private readonly listeners = new Set<(state: ApplyState) => void>();
  private finish: (ending: ApplyEnding) => void = () => {};
  private cancelled = false;
  private timer: NodeJS.Timeout | undefined;
  private trainer: TrainerProcess | undefined;
  private done = false;

  constructor(
    readonly request: ApplyStart,
    readonly recordFile: string,
    /** True for an apply started by an earlier window. */
    readonly reattached: boolean,
    private pidValue: number | undefined,
  ) {
    this.ended = new Promise((resolve) => (this.finish = resolve));
  }

  get pid(): number | undefined {
    return this.pidValue;
  }

  get state(): ApplyState {
    return this.current;
  }

  /** Whether it has ended (`ended` has resolved or is about to). */
  get isDone(): boolean {
    return this.done;
  }

  onState(listener: (state: ApplyState) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Ends the apply's process at once: written files stay (each complete), the one being written never appears. */
  cancel(): void {
    if (this.done || this.cancelled) return;
    this.cancelled = true;
    if (this.trainer) this.trainer.kill('cancelled by the user');
    else if (this.pidValue && processAlive(this.pidValue)) process.kill(this.pidValue, 'SIGKILL');
    if (!this.trainer) this.poll();
  }

  /** @internal ApplyService's. */
  attachTrainer(trainer: TrainerProcess): void {
    this.trainer = trainer;
    this.pidValue = trainer.pid;
  }

  /** @internal A new state from the trainer's messages or the record. */
  update(state: Partial<ApplyState>): void {
    this.current = { ...this.current, ...state };
    for (const listener of this.listeners) listener(this.current);
  }

  /** @internal How a forked trainer ended. */
  trainerEnded(outcome: TrainerOutcome): void {
    const { outputs, files } = this.current;
    switch (outcome.kind) {
      case 'applied':
        return this.end({ kind: 'done', outputs: outcome.outputs });
      case 'error':
        return this.end({
          kind: 'failed',
          badInput: outcome.failure === 'badInput',
          message: outcome.message,
          outputs,
        });
      case 'killed':
      case 'crashed':
        if (this.cancelled)
          return this.end({ kind: 'cancelled', message: `Cancelled: ${partialWords(outputs, files)}.`, outputs });
        return this.end({
          kind: 'killed',
          message: `The denoising process ended before finishing (${outcome.reason}): ${partialWords(outputs, files)}.`,
          outputs,
        });
      default:
        return this.end({
          kind: 'failed',
          badInput: false,
          message: `The trainer answered an apply with a ${outcome.kind}.`,
          outputs,
        });
    }
  }

  /** @internal Follows the record of an apply an earlier window started, every `pollMs`. */
  follow(pollMs: number): void {
    this.poll();
    if (!this.done) this.timer = setInterval(() => this.poll(), pollMs);
  }

  /** @internal Stops following without ending anything (this window is going away). */
  release(): void {
    clearInterval(this.timer);
    this.trainer?.release();
  }

  /** Reads the record once (public for tests, which drive it). */
  poll(): void {
    if (this.done) return;
    const record = readApplyProgress(this.recordFile);
    if (record) this.update(stateOf(record));
    const ending = record && endingOf(record, this.cancelled);
    if (ending) this.end(ending);
    else if (!record && !(this.pidValue && processAlive(this.pidValue))) {
      this.end({ kind: 'killed', message: 'The denoising process ended and left no record of its work.', outputs: [] });
    }
  }

  private end(ending: ApplyEnding): void {
    if (this.done) return;
    this.done = true;
    clearInterval(this.timer);
    // A process killed between writing a file and renaming it leaves its temporary file: removed, so that
    // nothing in the output folder looks like a result that is not one.
    if (ending.kind !== 'done' && this.pidValue) removeApplyLeftovers(this.request.out, this.pidValue);
    // The user is told now; the record has served its purpose.
    rmSync(this.recordFile, { force: true });
    this.finish(ending);
  }
}

function stateOf(record: ApplyProgress): ApplyState {
  return { files: record.files, file: record.file, tile: record.tile, outputs: record.outputs, model: record.model };
}

/** How the apply of a record ended, or undefined while its process still works. */
function endingOf(record: ApplyProgress, cancelled: boolean): ApplyEnding | undefined {
  const { outputs, files } = record;
  if (record.state === 'done') return { kind: 'done', outputs };
  if (record.state === 'failed') {
    const message = record.message ?? 'The apply failed.';
    return { kind: 'failed', badInput: record.failure === 'badInput', message, outputs };
  }
  if (processAlive(record.pid)) return undefined;
  if (cancelled) return { kind: 'cancelled', message: `Cancelled: ${partialWords(outputs, files)}.`, outputs };
  return {
    kind: 'killed',
    message: `The denoising process (pid ${record.pid}) ended before finishing (killed or crashed): ${partialWords(outputs, files)}.`,
    outputs,
  };
}

/**
 * Denoises image files in trainer processes (one per apply, as training runs: TensorFlow.js never loads in the
 * extension host). Each apply's trainer keeps a progress record in `recordsDir`; like a training run's folder,
 * it outlives a window reload, and `reattach` in the next window follows the applies still working and reports
 * how the others ended. Plain Node: the VS Code side only renders what it reports.
 */
export class ApplyService {
  private readonly jobs: ApplyJob[] = [];
  private nextId = 1;

  constructor(private readonly options: ApplyServiceOptions) {}

  start(request: ApplyStart): ApplyJob {
    mkdirSync(this.options.recordsDir, { recursive: true });
    const recordFile = join(this.options.recordsDir, `apply-${Date.now()}-${process.pid}-${this.nextId++}.json`);
    const job = new ApplyJob(request, recordFile, false, undefined);
    const trainer = new TrainerProcess(
      {
        type: 'apply',
        runDir: request.runDir,
        inputs: [...request.inputs],
        out: request.out,
        tile: request.tile,
        memoryMb: request.memoryMb,
        sigma: request.sigma,
        progressFile: recordFile,
      },
      {
        trainerPath: this.options.trainerPath,
        env: this.options.env?.(),
        onMessage: (message) => {
          if (message.type !== 'applyEvent') return;
          const { event } = message;
          if (event.type === 'started') job.update({ files: event.files, model: event.model });
          else if (event.type === 'tile')
            job.update({ file: event.file, tile: { done: event.done, total: event.total } });
          else if (event.type === 'file') job.update({ outputs: [...job.state.outputs, event.output] });
        },
        onOutput: (line) => this.options.log?.(`[apply] ${line}`),
        onRejected: (reason) =>
          this.options.log?.(`[apply] ignored a malformed message from the trainer: ${reason}`, 'error'),
      },
    );
    job.attachTrainer(trainer);
    this.options.log?.(`[apply] started trainer (pid ${trainer.pid}): ${request.inputs.join(', ')} -> ${request.out}`);
    void trainer.outcome.then((outcome) => job.trainerEnded(outcome));
    this.track(job);
    return job;
  }

  /**
   * The applies an earlier window of this workspace started (it reloaded): those whose process still works are
   * followed again (progress, Cancel); the others end at once with what really happened (finished, failed,
   * killed), so the caller can tell the user once.
   */
  reattach(): ApplyJob[] {
    let names: string[];
    try {
      names = readdirSync(this.options.recordsDir).filter((n) => /^apply-.*\.json$/.test(n));
    } catch {
      return [];
    }
    const found: ApplyJob[] = [];
    for (const name of names.sort()) {
      const recordFile = join(this.options.recordsDir, name);
      if (this.jobs.some((j) => j.recordFile === recordFile)) continue;
      const record = readApplyProgress(recordFile);
      if (!record) {
        rmSync(recordFile, { force: true });
        continue;
      }
      const { runDir, inputs, out } = record;
      const job = new ApplyJob({ runDir, inputs, out }, recordFile, true, record.pid);
      this.options.log?.(`[apply] found the apply of pid ${record.pid} an earlier window started (${record.state})`);
      job.follow(this.options.pollMs ?? 500);
      this.track(job);
      found.push(job);
    }
    return found;
  }

  /** The window is going away: applies go on writing (their records tell the next window); nothing is killed. */
  releaseAll(): void {
    for (const job of this.jobs) job.release();
  }

  /** Applies of this window not yet ended. */
  get active(): readonly ApplyJob[] {
    return this.jobs;
  }

  private track(job: ApplyJob): void {
    this.jobs.push(job);
    void job.ended.then(() => this.jobs.splice(this.jobs.indexOf(job), 1));
  }
}
