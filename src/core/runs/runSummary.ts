import type { EngineInfo } from '../engine/selectEngine';
import type { QualityMetrics, RunStatus } from '../training/events';

/** Quality of one split: the model's output and, as the baseline, the noisy input itself. */
export interface SplitResult {
  readonly denoised: QualityMetrics;
  readonly noisyInput: QualityMetrics;
  /** The model's output for clean inputs (reported when it was trained on clean inputs). */
  readonly cleanReconstruction?: QualityMetrics;
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
  readonly finalTrainLoss?: number;
  readonly finalValLoss?: number;
  /** Final metrics per split; absent when the run failed before evaluation. */
  readonly metrics?: { readonly train: SplitResult; readonly val: SplitResult; readonly test: SplitResult };
}
