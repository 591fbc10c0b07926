import type { EngineInfo } from '../engine/selectEngine';

/** Image-quality figures for one set of images against their clean originals. */
export interface QualityMetrics {
  readonly mse: number;
  readonly psnr: number;
  readonly ssim: number;
  readonly count: number;
}

/** Losses and validation quality at the end of one epoch; one line of a run's metrics.jsonl. */
export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly valLoss: number;
  /** Denoised validation images against the clean ones; absent when the run has no clean images (Noise2Void). */
  readonly val?: QualityMetrics;
  readonly seconds: number;
  readonly samplesPerSecond: number;
  /**
   * Of `seconds`, the time the steps waited for their batches: patches cut, flipped or turned and noised
   * (issue 19: under 5%). This session's batches only, so an epoch resumed midway counts its own part.
   */
  readonly dataSeconds?: number;
  /** True when this epoch has the lowest validation loss so far. */
  readonly best: boolean;
  /**
   * The learning rate of the epoch's last batch (it changes with training.learningRateSchedule); absent in older
   * runs.
   */
  readonly learningRate?: number;
}

/**
 * A few fixed test images as 8-bit pixels (0-255), image after image: compact enough to cross a process
 * boundary or a webview message many times a minute.
 */
export interface SampleImages {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** Absent when the run has no clean images (Noise2Void on noisy data): the grid is noisy | denoised. */
  readonly clean?: Uint8Array;
  readonly noisy: Uint8Array;
  readonly denoised: Uint8Array;
}

export type RunStatus = 'running' | 'completed' | 'stopped' | 'earlyStopped' | 'diverged' | 'failed' | 'interrupted';

/**
 * Everything a training run reports while it goes: the CLI turns these into a progress bar, the run
 * folder into files, and the extension into notifications and webview updates.
 */
export type TrainingEvent =
  | {
      readonly type: 'started';
      readonly runDir: string;
      readonly runName: string;
      readonly engine: EngineInfo;
      readonly model: string;
      readonly dataset: string;
      readonly trainSize: number;
      readonly epochs: number;
      readonly batchesPerEpoch: number;
    }
  | {
      readonly type: 'batch';
      readonly epoch: number;
      readonly batch: number;
      readonly batchesPerEpoch: number;
      readonly loss: number;
      readonly samplesPerSecond: number;
      /** Seconds left for the whole run, from the speed so far. */
      readonly etaSeconds: number;
    }
  | ({ readonly type: 'epoch'; readonly epochs: number; readonly etaSeconds: number } & EpochRecord)
  | { readonly type: 'samples'; readonly epoch: number; readonly images: SampleImages }
  | { readonly type: 'log'; readonly message: string }
  | { readonly type: 'finished'; readonly status: RunStatus; readonly runDir: string; readonly message: string }
  | {
      readonly type: 'failed';
      readonly reason: 'diverged' | 'error';
      readonly message: string;
      /** What the user can change to fix it. */
      readonly hint?: string;
      readonly runDir?: string;
    };

export type TrainingEventListener = (event: TrainingEvent) => void;
