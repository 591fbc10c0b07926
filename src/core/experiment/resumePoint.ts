import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../config/configError';
import type { LoadedConfig } from '../config/loadConfig';
import { resolveConfig } from '../config/loadConfig';
import type { ExperimentConfig } from '../config/experimentConfig.generated';
import { writeFileAtomic } from '../files/atomicWrite';
import { readCheckpoint, type Checkpoint } from '../runs/checkpoint';
import { readRunConfig } from '../runs/listRuns';
import { readEpochRecords } from '../runs/metricsLog';
import { runFile } from '../runs/runFiles';
import { readRunStatus } from '../runs/runStatus';
import { claimRunFolder, refuseIfClaimed } from '../runs/runFolderClaim';
import type { EpochRecord } from '../training/events';
import { InputError } from '../errors/inputError';

/** Where an interrupted run picks up: its folder, the epochs it finished, and its last checkpoint. */
export interface ResumePoint {
  readonly runDir: string;
  readonly startedAt: string;
  /** Epochs 1..N as recorded in metrics.jsonl, N being the checkpoint's epoch. */
  readonly history: readonly EpochRecord[];
  /** The checkpoint's folder (weights and training state); absent when the run resumes from its start. */
  readonly modelDir?: string;
  readonly checkpoint: Checkpoint;
}

/**
 * Checks that a run folder holds an interrupted run that can continue, and returns its config (as the run
 * recorded it) and where to resume: its last checkpoint, or its start when it was killed before the first.
 * Metric lines after the checkpoint's epoch (the process died between
 * writing them and saving the checkpoint) are dropped, so that epoch is trained again and appears once.
 * Every refusal is an InputError or ConfigError saying what is wrong with that folder. No TensorFlow.js
 * here: the extension host checks a run with it (the model is loaded by resumeModel.ts in the trainer).
 */
export function prepareResume(runFolder: string): {
  loaded: LoadedConfig;
  resume: ResumePoint;
  /** Gives up this process's claim on the run folder: call it when the resumed run has ended. */
  release: () => void;
} {
  // Claimed before it is checked: of two windows resuming at once, one trains and the other is refused.
  const release = claimRunFolder(resolve(runFolder));
  try {
    const { runDir, startedAt, config, checkpoint, history } = checkResumable(runFolder, { claimed: true });
    writeFileAtomic(runFile(runDir, 'metrics'), history.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return {
      loaded: { file: runFile(runDir, 'config'), baseDir: checkpoint.baseDir, config },
      resume: { runDir, startedAt, history, modelDir: checkpoint.modelDir, checkpoint },
      release,
    };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * What prepareResume checks, without changing anything: for the extension to refuse early. `claimed`: this
 * process holds the folder's claim already (prepareResume), so a claim is not another writer's.
 */
export function checkResumable(
  runFolder: string,
  { claimed = false }: { claimed?: boolean } = {},
): {
  runDir: string;
  startedAt: string;
  config: ExperimentConfig;
  checkpoint: Checkpoint;
  history: EpochRecord[];
} {
  const runDir = resolve(runFolder);
  if (!existsSync(runFile(runDir, 'config')))
    throw new InputError(`${runDir} is not a Denoise Lab run folder (no config.json)`);
  const status = readRunStatus(runDir);
  if (existsSync(runFile(runDir, 'summary')) || (status && status.status !== 'interrupted')) {
    const what =
      status?.status === 'running'
        ? `is still running (pid ${status.pid})`
        : `has already ended (${status?.status ?? 'summary.json exists'})`;
    throw new InputError(`${runDir} ${what}; only an interrupted run can be resumed`);
  }
  if (!status) throw new InputError(`${runDir} has no readable status.json; it cannot be resumed`);
  if (!claimed) refuseIfClaimed(runDir);
  const checkpoint = readCheckpoint(runDir);
  if (!checkpoint) {
    throw new InputError(
      `${runDir} has no readable checkpoint/state.json (a run from an older version killed before its first epoch ended, ` +
        'or a damaged folder); start the experiment again',
    );
  }
  const recorded = readRunConfig(runDir);
  const { config, problems } = resolveConfig(recorded);
  if (!config) throw new ConfigError(runFile(runDir, 'config'), problems);
  const history = readEpochRecords(runDir).filter((r) => r.epoch <= checkpoint.epoch);
  if (history.length !== checkpoint.epoch || history.some((r, i) => r.epoch !== i + 1)) {
    throw new InputError(
      `${runFile(runDir, 'metrics')} records ${history.length} of the ${checkpoint.epoch} epochs the checkpoint has; the run cannot continue its curve`,
    );
  }
  return { runDir, startedAt: status.startedAt, config, checkpoint, history };
}
