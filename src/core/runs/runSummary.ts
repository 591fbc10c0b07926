import type { EngineInfo } from '../engine/selectEngine';
import type { QualityMetrics, RunStatus } from '../training/events';

/** Quality of one split: the model's output and, as the baseline, the noisy input itself. */
export interface SplitResult {
  readonly denoised: QualityMetrics;
  readonly noisyInput: QualityMetrics;
  /** The model's output for clean inputs (reported when it was trained on clean inputs). */
  readonly cleanReconstruction?: QualityMetrics;
}

/** Share of test digits (0..1) the shipped digit classifier reads as their true label. */
export interface TestReadability {
  readonly clean: number;
  readonly noisyInput: number;
  readonly denoised: number;
}

/**
 * One way of cleaning the noisy test images, scored against the clean ones: the noisy input itself, the
 * model, the model plus post-processing, or a classical filter. `seconds` is the time to filter and score.
 */
export interface ComparisonRow extends QualityMetrics {
  /** noisyInput, model, hysteresis, or a baseline's config name (median, gaussian, notch, nlm). */
  readonly method: string;
  readonly label: string;
  readonly readability?: number;
  readonly seconds: number;
}

/** summary.json: written once, atomically, when a run ends (whatever the ending). */
export interface RunSummary {
  readonly name: string;
  readonly description: string;
  readonly runDir: string;
  readonly status: RunStatus;
  readonly message: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationSeconds: number;
  readonly engine: EngineInfo;
  readonly model: string;
  readonly dataset: string;
  readonly noise: string;
  readonly epochsCompleted: number;
  readonly bestEpoch: number;
  /** Training throughput (validation and evaluation excluded). */
  readonly samplesPerSecond: number;
  /** How the training steps ran (trainer.ts's TrainResult.steps), e.g. which library ran the convolutions. */
  readonly trainingSteps?: string;
  readonly finalTrainLoss?: number;
  readonly finalValLoss?: number;
  /** Final metrics per split; absent when the run failed before evaluation. */
  readonly metrics?: { readonly train: SplitResult; readonly val: SplitResult; readonly test: SplitResult };
  /** Readability of the clean, noisy and denoised test digits (absent without labels or when turned off). */
  readonly readability?: TestReadability;
  /** The test split cleaned every way: noisy input, model, post-processing, classical baselines. */
  readonly comparison?: readonly ComparisonRow[];
}
