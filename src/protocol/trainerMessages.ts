/**
 * The messages between the extension host and a trainer child process (`dist/trainer.js`), sent over
 * Node's IPC channel with `serialization: 'advanced'` (the structured clone algorithm): typed arrays such
 * as sample images cross as Uint8Array without being turned into JSON.
 *
 * A trainer handles one request: `start` (train) or `preview` (noise preview, no training), then exits.
 * During a run the host may send `stop`; the trainer answers `stopping` once the current batch is done,
 * writes the results and exits. The last message is `summary`, `preview` or `error`; the exit code is
 * 0 (run completed or stopped early as configured), 1 (the run failed, diverged or was stopped) or
 * 2 (bad input: config, dataset, starting run), the same as the `denoise` command line.
 */
import type { ConfigProblem } from '../core/config/configError';
import type { RunSummary } from '../core/runs/runSummary';
import type { TrainingEvent } from '../core/training/events';

export interface StartRequest {
  readonly type: 'start';
  /** Absolute path of the `*.denoise.json` file. */
  readonly configFile: string;
  /** `PATH=VALUE` overrides applied on top of the file (settings, sweeps). */
  readonly overrides: readonly string[];
  /** Absolute runs folder; absent: the experiment's own `output.runsDir`. */
  readonly runsDir?: string;
  /** An interrupted run's folder to continue from its last checkpoint instead of starting a new run. */
  readonly resumeRunDir?: string;
}

export interface PreviewRequest {
  readonly type: 'preview';
  readonly configFile: string;
  /** The editor's unsaved text, when it differs from the file; relative paths still resolve from the file. */
  readonly configText?: string;
  readonly overrides: readonly string[];
  /** How many test images per column. */
  readonly count: number;
}

export interface StopRequest {
  readonly type: 'stop';
}

export type HostToTrainer = StartRequest | PreviewRequest | StopRequest;

/** Why a trainer could not do its job: the user's input (exit 2) or the run itself (exit 1). */
export type FailureClass = 'badInput' | 'runFailed';

/** One column of a noise preview: the clean images, one noise step alone, or all steps combined. */
export interface PreviewColumn {
  readonly label: string;
  /** The step's values, e.g. "mean 0, variance 0.01". */
  readonly detail: string;
  /** count × height × width gray pixels, 0-255, image after image. */
  readonly pixels: Uint8Array;
}

export type TrainerToHost =
  | { readonly type: 'event'; readonly event: TrainingEvent }
  /** The stop request was received between two batches: training has ended, results are being written. */
  | { readonly type: 'stopping' }
  | { readonly type: 'summary'; readonly summary: RunSummary }
  | {
      readonly type: 'preview';
      readonly count: number;
      readonly height: number;
      readonly width: number;
      readonly columns: readonly PreviewColumn[];
    }
  | {
      readonly type: 'error';
      readonly failure: FailureClass;
      readonly message: string;
      /** Config problems, each naming its field; empty for other errors. */
      readonly problems: readonly ConfigProblem[];
    };
