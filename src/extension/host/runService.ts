import { ConfigError, type ConfigProblem } from '../../core/config/configError';
import { loadConfig } from '../../core/config/loadConfig';
import type { ExperimentConfig } from '../../core/config/experimentConfig.generated';
import { checkResumable } from '../../core/experiment/resumePoint';
import { InputError } from '../../core/errors/inputError';
import { dirname, join } from 'node:path';
import { runFile } from '../../core/runs/runFiles';
import type { TrainingEvent } from '../../core/training/events';
import type { TrainerToHost } from '../../protocol/trainerMessages';
import type { RunEnding } from '../../protocol/webviewMessages';
import { foldersToAllow, pathsOutsideWorkspace, runPaths, type PathPolicy } from './pathBoundary';
import { RunFolderFeed } from './runFolderFeed';
import { RunQueue } from './runQueue';
import { engineReport, type EngineReport } from './engineReport';
import { TrainerProcess, type TrainerOutcome, type TrainerProcessOptions } from './trainerProcess';

export interface RunRequest {
  /** Absolute path of the experiment file. */
  readonly configFile: string;
  /** `PATH=VALUE` overrides (settings such as the engine, sweep values). */
  readonly overrides: readonly string[];
  /** Absolute runs folder, from the setting; absent: the experiment's own output.runsDir. */
  readonly runsDir?: string;
  /** An interrupted run's folder: continue it from its checkpoint (configFile is then its config.json). */
  readonly resumeRunDir?: string;
}

export type RunPhase = 'queued' | 'running' | 'stopping' | 'ended';

export interface RunProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batchesPerEpoch: number;
  /** Share of all batches of the run done, 0 to 1. */
  readonly fraction: number;
  readonly loss?: number;
  readonly etaSeconds?: number;
}

/** A run as the views see it. */
export interface Run {
  readonly id: string;
  readonly name: string;
  readonly configFile: string;
  /** The `PATH=VALUE` overrides it runs with (settings, sweep values). */
  readonly overrides?: readonly string[];
  readonly phase: RunPhase;
  readonly pid?: number;
  readonly runDir?: string;
  readonly progress?: RunProgress;
  readonly bestValPsnr?: number;
  readonly ending?: RunEnding;
  /** How it ended, in a sentence for the user. */
  readonly message?: string;
  readonly problems?: readonly ConfigProblem[];
  /** The trainer's last output lines, when it crashed or had to be killed. */
  readonly stderrTail?: readonly string[];
  /** What it trains on, from the trainer's first event. */
  readonly engine?: EngineReport;
}

export type RunUpdate =
  | { readonly kind: 'queued' | 'started' | 'stopping' | 'ended'; readonly run: Run }
  | { readonly kind: 'event'; readonly run: Run; readonly event: TrainingEvent };

export type Submitted =
  | { readonly ok: true; readonly run: Run }
  | {
      readonly ok: false;
      readonly reason: 'untrusted' | 'invalidConfig' | 'outsideWorkspace' | 'notResumable';
      readonly message: string;
      readonly problems: readonly ConfigProblem[];
      /** For a run outside the workspace: the folders that, allowed, would let it run. */
      readonly foldersToAllow?: readonly string[];
    };

export interface RunServiceOptions {
  readonly trainerPath: string;
  readonly maxParallel: number;
  /** Runs start only in a trusted workspace: a config names files to read and a folder to write. */
  readonly isTrusted: () => boolean;
  /**
   * Folders runs may read from and write to (the workspace folders and the denoiseLab.allowedPaths setting),
   * read when a run is submitted; absent: no limit (as on the command line).
   */
  readonly pathPolicy?: () => PathPolicy;
  /** The trainer's environment (e.g. OPENBLAS_NUM_THREADS from the settings), read when a run starts. */
  readonly env?: () => NodeJS.ProcessEnv;
  /** A line for the log; `error` for what went wrong (a refusal, a run that failed), so it reads as one. */
  readonly log?: (line: string, level?: 'info' | 'error') => void;
  /** Stop timeouts and such, passed on to each TrainerProcess. */
  readonly trainer?: Pick<TrainerProcessOptions, 'stopAnswerMs' | 'stopFinishMs' | 'tailLines'>;
}

type MutableRun = { -readonly [K in keyof Run]: Run[K] };

interface Job {
  readonly run: MutableRun;
  readonly request: RunRequest;
  trainer?: TrainerProcess;
  /** A run an earlier window started, followed through its folder. */
  feed?: RunFolderFeed;
  readonly ended: Promise<void>;
  end: () => void;
}

export const UNTRUSTED_MESSAGE =
  'Denoise Lab does not start runs in an untrusted workspace: an experiment reads the files it names and writes run folders. Trust the workspace to run experiments.';

/**
 * Starts experiments in trainer processes, at most maxParallel at a time, the rest queued; tracks their
 * progress and tells listeners. Plain Node: the VS Code side only renders what it reports.
 */
export class RunService {
  private readonly jobs: Job[] = [];
  private readonly listeners = new Set<(update: RunUpdate) => void>();
  private readonly queue: RunQueue<Job>;
  private nextId = 1;

  constructor(private readonly options: RunServiceOptions) {
    this.queue = new RunQueue(options.maxParallel, (job) => this.execute(job));
  }

  /** The trainer script every run and noise preview forks. */
  get trainerPath(): string {
    return this.options.trainerPath;
  }

  /** Checks the request (trust, config) and starts or queues it; a refusal lists the config's problems. */
  submit(request: RunRequest): Submitted {
    if (!this.options.isTrusted()) return { ok: false, reason: 'untrusted', message: UNTRUSTED_MESSAGE, problems: [] };
    let name: string;
    try {
      let config: ExperimentConfig;
      let paths: { field: string; path: string }[];
      if (request.resumeRunDir) {
        const resumable = checkResumable(request.resumeRunDir);
        config = resumable.config;
        // Relative dataset paths resolve from the experiment's folder, recorded in the checkpoint.
        paths = runPaths(config, join(resumable.checkpoint.baseDir, 'experiment'), dirname(resumable.runDir));
      } else {
        config = loadConfig(request.configFile, request.overrides).config;
        paths = runPaths(config, request.configFile, request.runsDir);
      }
      name = config.name;
      const policy = this.options.pathPolicy?.();
      const outside = policy ? pathsOutsideWorkspace(paths, policy) : [];
      if (outside.length) {
        const message = `${request.configFile} reads or writes outside the workspace (${outside.length} path${outside.length === 1 ? '' : 's'}):`;
        this.options.log?.(`[${name}] refused: ${outside.map((p) => `${p.path}: ${p.message}`).join('; ')}`, 'error');
        const outsidePaths = paths.filter((p) => outside.some((o) => o.path === p.field));
        return {
          ok: false,
          reason: 'outsideWorkspace',
          message,
          problems: outside,
          foldersToAllow: foldersToAllow(outsidePaths),
        };
      }
    } catch (err) {
      if (err instanceof InputError) return { ok: false, reason: 'notResumable', message: err.message, problems: [] };
      if (!(err instanceof ConfigError)) throw err;
      return { ok: false, reason: 'invalidConfig', message: err.message, problems: err.problems };
    }
    let end = () => {};
    const ended = new Promise<void>((resolve) => (end = resolve));
    const job: Job = {
      run: {
        id: `run-${this.nextId++}`,
        name,
        configFile: request.configFile,
        overrides: request.overrides,
        phase: 'queued',
      },
      request,
      ended,
      end,
    };
    this.jobs.push(job);
    if (this.queue.add(job) === 'queued') {
      this.log(job, `queued: ${this.queue.running.length} run(s) already running (limit ${this.options.maxParallel})`);
      this.emit({ kind: 'queued', run: job.run });
    }
    return { ok: true, run: job.run };
  }

  /** Stops a run (after its current batch) or takes it out of the queue; false when it is not active. */
  stop(id: string): boolean {
    const job = this.jobs.find((j) => j.run.id === id);
    if (!job || job.run.phase === 'ended') return false;
    if (this.queue.remove(job)) {
      this.finish(job, { ending: 'cancelled', message: 'Taken out of the queue before it started.' });
      return true;
    }
    if (job.feed && job.run.pid) {
      // A reattached run's trainer has no channel to this window: SIGINT is its Stop (src/trainer/main.ts).
      process.kill(job.run.pid, 'SIGINT');
      job.run.phase = 'stopping';
      this.emit({ kind: 'stopping', run: job.run });
      return true;
    }
    job.trainer?.stop();
    return true;
  }

  /**
   * Follows a live run started by an earlier window (status.json says running and its process lives):
   * progress, curves, Stop and its real ending, read from its folder. Returns the run, or undefined when
   * the folder is already followed or not running.
   */
  attach(runDir: string, listing: { name: string; pid: number; configFile?: string }, pollMs = 1000): Run | undefined {
    if (this.jobs.some((j) => j.run.runDir === runDir && j.run.phase !== 'ended')) return undefined;
    let end = () => {};
    const ended = new Promise<void>((resolve) => (end = resolve));
    const run: MutableRun = {
      id: `run-${this.nextId++}`,
      name: listing.name,
      configFile: listing.configFile ?? runFile(runDir, 'config'),
      phase: 'running',
      pid: listing.pid,
      runDir,
    };
    const job: Job = { run, request: { configFile: run.configFile, overrides: [] }, ended, end };
    job.feed = new RunFolderFeed(
      runDir,
      (event) => this.receive(job, { type: 'event', event }),
      (ending) => this.finish(job, ending),
    );
    this.jobs.push(job);
    this.log(job, `reattached to the trainer (pid ${listing.pid}) started by an earlier window, in ${runDir}`);
    this.emit({ kind: 'started', run });
    job.feed.start(pollMs);
    return run;
  }

  /**
   * The window is going away (reload, close): running trainers go on writing their folders for the next
   * window to reattach to; queued runs, which no process holds, are cancelled.
   */
  releaseAll(): void {
    for (const job of this.jobs.filter((j) => j.run.phase !== 'ended')) {
      if (this.queue.remove(job))
        this.finish(job, { ending: 'cancelled', message: 'The window closed before it started.' });
      job.trainer?.release();
      job.feed?.dispose();
    }
  }

  /** Stops every run and empties the queue (the extension is deactivating); resolves when all have ended. */
  async stopAll(): Promise<void> {
    const active = this.jobs.filter((j) => j.run.phase !== 'ended');
    for (const job of active) this.stop(job.run.id);
    await Promise.all(active.map((j) => j.ended));
  }

  /** Resolves with the run once it has ended. */
  async whenEnded(id: string): Promise<Run> {
    const job = this.jobs.find((j) => j.run.id === id);
    if (!job) throw new Error(`no run ${id}`);
    await job.ended;
    return job.run;
  }

  setMaxParallel(limit: number): void {
    this.queue.setLimit(limit);
  }

  /** Runs of this session, oldest first. */
  get runs(): readonly Run[] {
    return this.jobs.map((j) => j.run);
  }

  /** 1 for the next run to start, 0 when the run is not waiting. */
  queuePosition(id: string): number {
    const job = this.jobs.find((j) => j.run.id === id);
    return job ? this.queue.position(job) : 0;
  }

  onUpdate(listener: (update: RunUpdate) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private async execute(job: Job): Promise<void> {
    const { request, run } = job;
    const trainer = new TrainerProcess(
      {
        type: 'start',
        configFile: request.configFile,
        overrides: request.overrides,
        runsDir: request.runsDir,
        resumeRunDir: request.resumeRunDir,
      },
      {
        ...this.options.trainer,
        trainerPath: this.options.trainerPath,
        env: this.options.env?.(),
        onMessage: (message) => this.receive(job, message),
        onOutput: (line) => this.log(job, line),
        onRejected: (reason) => this.log(job, `ignored a malformed message from the trainer: ${reason}`),
      },
    );
    job.trainer = trainer;
    run.phase = 'running';
    run.pid = trainer.pid;
    this.log(job, `started trainer (pid ${trainer.pid}) for ${request.configFile}`);
    this.emit({ kind: 'started', run });
    const outcome = await trainer.outcome;
    this.finish(job, describeOutcome(outcome));
  }

  private receive(job: Job, message: TrainerToHost): void {
    const { run } = job;
    if (message.type === 'stopping') {
      run.phase = 'stopping';
      this.emit({ kind: 'stopping', run });
      return;
    }
    if (message.type !== 'event') return;
    const { event } = message;
    if (event.type === 'started') {
      run.runDir = event.runDir;
      run.engine = engineReport(event.engine);
      this.log(job, run.engine.log);
      run.progress = { epoch: 1, epochs: event.epochs, batch: 0, batchesPerEpoch: event.batchesPerEpoch, fraction: 0 };
    } else if (event.type === 'batch' && run.progress) {
      const total = run.progress.epochs * event.batchesPerEpoch;
      run.progress = {
        ...run.progress,
        epoch: event.epoch,
        batch: event.batch,
        batchesPerEpoch: event.batchesPerEpoch,
        fraction: total > 0 ? ((event.epoch - 1) * event.batchesPerEpoch + event.batch) / total : 0,
        loss: event.loss,
        etaSeconds: event.etaSeconds,
      };
    } else if (event.type === 'epoch') {
      if (event.val) run.bestValPsnr = Math.max(run.bestValPsnr ?? -Infinity, event.val.psnr);
      if (run.progress) run.progress = { ...run.progress, etaSeconds: event.etaSeconds };
    }
    this.emit({ kind: 'event', run, event });
  }

  private finish(job: Job, ending: Pick<Run, 'ending' | 'message' | 'problems' | 'stderrTail' | 'runDir'>): void {
    Object.assign(job.run, { ...ending, runDir: ending.runDir ?? job.run.runDir, phase: 'ended' });
    const failed = !['completed', 'earlyStopped', 'stopped', 'cancelled'].includes(ending.ending ?? 'failed');
    this.log(job, `ended: ${ending.ending}. ${ending.message ?? ''}`.trim(), failed ? 'error' : 'info');
    job.end();
    this.emit({ kind: 'ended', run: job.run });
  }

  private emit(update: RunUpdate): void {
    for (const listener of this.listeners) listener(update);
  }

  private log(job: Job, line: string, level: 'info' | 'error' = 'info'): void {
    this.options.log?.(`[${job.run.name} ${job.run.id}] ${line}`, level);
  }
}

/** The ending a user sees for each way a trainer can end. */
export function describeOutcome(
  outcome: TrainerOutcome,
): Pick<Run, 'ending' | 'message' | 'problems' | 'stderrTail' | 'runDir'> {
  switch (outcome.kind) {
    case 'summary':
      return { ending: outcome.summary.status, message: outcome.summary.message, runDir: outcome.summary.runDir };
    case 'error':
      return {
        ending: outcome.failure === 'badInput' ? 'badInput' : 'failed',
        message: outcome.message,
        problems: outcome.problems,
      };
    case 'crashed':
      return { ending: 'crashed', message: `The trainer crashed (${outcome.reason}).`, stderrTail: outcome.stderrTail };
    case 'killed':
      return {
        ending: 'interrupted',
        message: `The trainer was ended because it ${outcome.reason}.`,
        stderrTail: outcome.stderrTail,
      };
    case 'preview':
      return { ending: 'failed', message: 'The trainer answered a run with a noise preview.' };
    case 'applied':
      return { ending: 'failed', message: 'The trainer answered a run with denoised files.' };
  }
}
