/**
 * The messages between the extension host and its web pages (the dashboard panel and the
 * "Reconstructions" side view). Webview messages are copied as JSON, where a Uint8Array would become an
 * object with one key per pixel, so images cross as base64 strings of 8-bit gray pixels
 * (`src/protocol/base64.ts`): a third larger than the bytes, a fraction of per-pixel JSON, and the same
 * in VS Code, code-server and a standalone HTML report.
 *
 * The page starts the conversation with `ready` (carrying WEBVIEW_PROTOCOL_VERSION); the host answers
 * with `init` and then sends whatever it has: the noise preview, the runs, live updates of runs.
 * Live updates are throttled at the source (about ten batch updates a second per run).
 */
import type { RunStatus, TrainingEvent } from '../core/training/events';

export const WEBVIEW_PROTOCOL_VERSION = 1;

/** Which page the host is talking to. */
export type WebviewKind = 'dashboard' | 'reconstructions';

/** A set of same-sized gray images: base64 of count × height × width bytes (0-255), image after image. */
export interface EncodedImages {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly pixels: string;
}

/** The fixed test images of a run, as columns clean | noisy | denoised (each base64, as in EncodedImages). */
export interface EncodedSamples {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly clean: string;
  readonly noisy: string;
  readonly denoised: string;
}

/** One labelled column of images (a noise step, a generation input or output). */
export interface ImageColumn {
  readonly label: string;
  readonly detail: string;
  readonly images: EncodedImages;
}

/** How a run ended as the host saw it: the run's own status, or an ending that left no summary. */
export type RunEnding = RunStatus | 'cancelled' | 'badInput' | 'crashed';

/** One epoch of a run's curves (from its metrics.jsonl or live). */
export interface EpochPoint {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly valLoss: number;
  readonly valPsnr: number;
  readonly valSsim: number;
}

/** Final figures of one split. */
export interface SplitFigures {
  readonly mse: number;
  readonly psnr: number;
  readonly ssim: number;
}

/** One run as the run list and the results table show it (src/app/results), shaped like the seed report's table. */
export interface RunRow {
  readonly runDir: string;
  readonly name: string;
  readonly status: RunStatus | 'unknown';
  readonly startedAt?: string;
  readonly durationSeconds?: number;
  /** "gaussian(variance 0.01) + saltPepper(amount 0.1)" */
  readonly noise?: string;
  readonly model?: string;
  /** Dense models: the number of layers counting input and output, as in the seed report's tables. */
  readonly layers?: number;
  readonly codeSize?: number;
  readonly optimizer?: string;
  readonly learningRate?: number;
  readonly batchSize?: number;
  readonly epochs?: number;
  readonly epochsCompleted?: number;
  readonly train?: SplitFigures;
  readonly val?: SplitFigures;
  readonly test?: SplitFigures;
  /** Share (0 to 1) of denoised test digits a clean-trained classifier reads correctly, when the run measured it. */
  readonly readability?: number;
}

export type HostToWebview =
  | { readonly type: 'init'; readonly protocolVersion: number; readonly view: WebviewKind }
  | {
      readonly type: 'noisePreview';
      readonly configFile: string;
      /** One column per entry: clean, each step alone, combined. */
      readonly columns: readonly ImageColumn[];
    }
  | { readonly type: 'noisePreviewError'; readonly configFile: string; readonly problems: readonly { readonly path: string; readonly message: string }[] }
  | { readonly type: 'runQueued'; readonly runId: string; readonly runName: string; readonly configFile: string }
  | {
      readonly type: 'runStarted';
      readonly runId: string;
      readonly runName: string;
      readonly runDir: string;
      readonly engine: string;
      readonly model: string;
      readonly dataset: string;
      readonly epochs: number;
      readonly batchesPerEpoch: number;
    }
  // A batch update is the trainer's own batch event, tagged with the run it belongs to.
  | (Extract<TrainingEvent, { type: 'batch' }> & { readonly runId: string })
  | ({ readonly type: 'epoch'; readonly runId: string; readonly epochs: number; readonly etaSeconds: number; readonly samplesPerSecond: number; readonly best: boolean } & EpochPoint)
  | { readonly type: 'samples'; readonly runId: string; readonly epoch: number; readonly images: EncodedSamples }
  | { readonly type: 'runEnded'; readonly runId: string; readonly runDir?: string; readonly ending: RunEnding; readonly message: string }
  | { readonly type: 'runs'; readonly runs: readonly RunRow[] }
  /** The seed report's generation experiment of a run (its generation.png): input | output columns, a VAE's latent samples. */
  | { readonly type: 'generation'; readonly runDir: string; readonly runName: string; readonly columns: readonly ImageColumn[] }
  | {
      readonly type: 'comparison';
      readonly runs: readonly { readonly row: RunRow; readonly curve: readonly EpochPoint[]; readonly samples?: EncodedSamples }[];
      /** The user selected this run in the runs view: the side panel shows it unless a run is training. */
      readonly selected?: boolean;
    };

export type WebviewToHost =
  | { readonly type: 'ready'; readonly protocolVersion: number }
  | { readonly type: 'stopRun'; readonly runId: string }
  | { readonly type: 'requestNoisePreview' }
  | { readonly type: 'requestRuns' }
  | { readonly type: 'compareRuns'; readonly runDirs: readonly string[] }
  | { readonly type: 'openRunFolder'; readonly runDir: string }
  /** Asks for a finished run's generation images (answered with `generation`). */
  | { readonly type: 'requestGeneration'; readonly runDir: string }
  | { readonly type: 'exportResults'; readonly runDirs: readonly string[]; readonly format: 'csv' | 'markdown' }
  /** A script error in the page, so it reaches the output channel instead of vanishing. */
  | { readonly type: 'reportError'; readonly message: string };
