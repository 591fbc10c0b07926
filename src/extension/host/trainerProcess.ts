import { fork, type ChildProcess } from 'node:child_process';
import type { ConfigProblem } from '../../core/config/configError';
import type { RunSummary } from '../../core/runs/runSummary';
import type {
  ApplyRequest,
  FailureClass,
  PreviewRequest,
  StartRequest,
  TrainerToHost,
} from '../../protocol/trainerMessages';
import { validateTrainerToHost } from '../../protocol/validateTrainerMessages';
import { OutputLines } from './outputLines';

export interface TrainerProcessOptions {
  /** dist/trainer.js */
  readonly trainerPath: string;
  readonly env?: NodeJS.ProcessEnv;
  /** After `stop`, how long the trainer may take to finish its batch and answer before it is killed. */
  readonly stopAnswerMs?: number;
  /** After it answered, how long it may take to write its results (final evaluation, model) before it is killed. */
  readonly stopFinishMs?: number;
  /** Lines of stderr kept to explain a crash. */
  readonly tailLines?: number;
  /** Each validated message: events, `stopping`, and the final one. */
  readonly onMessage?: (message: TrainerToHost) => void;
  /** Each line the trainer prints (its log on stderr, anything a library prints). */
  readonly onOutput?: (line: string) => void;
  /** A message that failed validation: a trainer bug, reported rather than acted on. */
  readonly onRejected?: (reason: string) => void;
}

/** How a trainer process ended, as the host tells the user. */
export type TrainerOutcome =
  | { readonly kind: 'summary'; readonly summary: RunSummary }
  | { readonly kind: 'preview'; readonly preview: Extract<TrainerToHost, { type: 'preview' }> }
  /** An apply wrote all its files. */
  | { readonly kind: 'applied'; readonly outputs: readonly string[] }
  | {
      readonly kind: 'error';
      readonly failure: FailureClass;
      readonly message: string;
      readonly problems: readonly ConfigProblem[];
    }
  /** Ended without its final message: killed from outside, out of memory, a native crash, a failed start. */
  | { readonly kind: 'crashed'; readonly reason: string; readonly stderrTail: readonly string[] }
  /** Killed by the host because it did not stop in time after a stop request. */
  | { readonly kind: 'killed'; readonly reason: string; readonly stderrTail: readonly string[] };

const DEFAULTS = { stopAnswerMs: 5_000, stopFinishMs: 120_000, tailLines: 20 };

/**
 * One trainer child process, forked with the runtime of the process that forks it (in VS Code, VS Code's
 * own Node), talking over IPC with structured-clone serialization. It handles one request and exits.
 */
export class TrainerProcess {
  readonly outcome: Promise<TrainerOutcome>;
  private readonly child: ChildProcess;
  private final: TrainerOutcome | undefined;
  private stopRequested = false;
  private killedBecause: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly stderr: OutputLines;
  private readonly options: TrainerProcessOptions & typeof DEFAULTS;

  constructor(request: StartRequest | PreviewRequest | ApplyRequest, options: TrainerProcessOptions) {
    this.options = { ...DEFAULTS, ...options };
    const onOutput = options.onOutput ?? (() => {});
    this.stderr = new OutputLines(this.options.tailLines, onOutput);
    const stdout = new OutputLines(0, onOutput);
    // execArgv: [] so the child does not inherit the parent's flags (an inspector port, a loader such as
    // tsx in tests); stdout and stderr are piped to be logged. detached: its own process group, so a run
    // outlives a window reload (VS Code ends the extension host's group) and a reloaded window reattaches.
    this.child = fork(options.trainerPath, [], {
      execArgv: [],
      detached: process.platform !== 'win32',
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: options.env ?? process.env,
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
    this.child.stdout?.on('end', () => stdout.end());
    this.child.stderr?.on('end', () => this.stderr.end());
    this.child.on('message', (raw: unknown) => this.receive(raw));

    this.outcome = new Promise((resolve) => {
      let spawnError: Error | undefined;
      this.child.on('error', (err) => {
        spawnError ??= err;
      });
      // 'close' comes after the output streams have ended, so the stderr tail is complete.
      this.child.on('close', (code, signal) => {
        clearTimeout(this.timer);
        if (this.final) return resolve(this.final);
        const tail = this.stderr.tail();
        if (this.killedBecause) return resolve({ kind: 'killed', reason: this.killedBecause, stderrTail: tail });
        const reason = spawnError
          ? `could not start: ${spawnError.message}`
          : signal
            ? `killed by signal ${signal}`
            : `exited with code ${code} without reporting a result`;
        resolve({ kind: 'crashed', reason, stderrTail: tail });
      });
    });
    this.send(request);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Asks the trainer to stop after its current batch and write its results. It is killed if it does not
   * answer within stopAnswerMs or does not exit within stopFinishMs after answering. A second call kills
   * it at once.
   */
  stop(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.stopRequested) return this.kill('was asked to stop twice');
    this.stopRequested = true;
    this.send({ type: 'stop' });
    this.arm(
      this.options.stopAnswerMs,
      `did not finish its batch within ${this.options.stopAnswerMs / 1000} s of the stop request`,
    );
  }

  /**
   * Lets the trainer go on without this host (the window is reloading): the channel and pipes are closed
   * and the host no longer waits for it. The run keeps writing its folder; `outcome` then never resolves.
   */
  release(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    clearTimeout(this.timer);
    this.child.removeAllListeners('close');
    if (this.child.connected) this.child.disconnect();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    this.child.unref();
  }

  kill(reason: string): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.killedBecause ??= reason;
    this.child.kill('SIGKILL');
  }

  private arm(ms: number, reason: string): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kill(reason), ms);
  }

  private send(message: StartRequest | PreviewRequest | ApplyRequest | { type: 'stop' }): void {
    // A send can only fail when the child is already gone; 'close' then reports how it ended.
    if (this.child.connected)
      this.child.send(
        message,
        (err) => err && this.options.onRejected?.(`could not send ${message.type}: ${err.message}`),
      );
  }

  private receive(raw: unknown): void {
    const checked = validateTrainerToHost(raw);
    if (!checked.ok) {
      this.options.onRejected?.(checked.reason);
      return;
    }
    const message = checked.value;
    switch (message.type) {
      case 'stopping':
        this.arm(
          this.options.stopFinishMs,
          `did not write its results within ${this.options.stopFinishMs / 1000} s of stopping`,
        );
        break;
      case 'summary':
        this.final = { kind: 'summary', summary: message.summary };
        break;
      case 'preview':
        this.final = { kind: 'preview', preview: message };
        break;
      case 'error':
        this.final = { kind: 'error', failure: message.failure, message: message.message, problems: message.problems };
        break;
      case 'applyEvent':
        if (message.event.type === 'done') this.final = { kind: 'applied', outputs: message.event.outputs };
        break;
      case 'event':
        break;
    }
    this.options.onMessage?.(message);
  }
}
