import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../files/atomicWrite';

/** The run folder's checkpoint folder: one sub-folder per checkpoint and state.json naming the valid one. */
export const CHECKPOINT_DIR = 'checkpoint';
const STATE_FILE = 'state.json';

/**
 * checkpoint/state.json: which checkpoint is the last complete one. It is written (atomically) only after
 * that checkpoint's files are complete, so it is the commit point: a crash while saving leaves the previous
 * state pointing at the previous, intact checkpoint. A run writes one with no model when it starts, so a run
 * killed before its first checkpoint can resume from the start in its own folder.
 */
export interface CheckpointState {
  /** Epochs finished before the checkpoint (0 for the start). */
  readonly epoch: number;
  /** Batches of the next epoch trained before it: 0 at an epoch's end (absent in older checkpoints). */
  readonly batch?: number;
  readonly batchesPerEpoch?: number;
  /** Folder of the checkpoint relative to checkpoint/ (e.g. "epoch-0003"), null for the start. */
  readonly model: string | null;
  /** The experiment file's folder, from which the config's relative dataset paths resolve. */
  readonly baseDir: string;
  readonly savedAt: string;
}

/** Where a checkpoint stands: epochs finished, and batches of the next epoch. */
export interface CheckpointPosition {
  readonly epoch: number;
  readonly batch: number;
  readonly batchesPerEpoch: number;
}

export function checkpointDir(runDir: string): string {
  return join(runDir, CHECKPOINT_DIR);
}

/**
 * "epoch-0003" after epoch 3, "epoch-0003-batch-000041" 41 batches into epoch 4: names sort in training order.
 */
export function checkpointFolderName(at: Pick<CheckpointPosition, 'epoch' | 'batch'>): string {
  const epoch = `epoch-${String(at.epoch).padStart(4, '0')}`;
  return at.batch > 0 ? `${epoch}-batch-${String(at.batch).padStart(6, '0')}` : epoch;
}

const FOLDER_NAME = /^epoch-\d{4,}(-batch-\d{6,})?$/;

/** Records that a run has started and where its experiment lives, before any checkpoint (see CheckpointState). */
export function markRunStart(runDir: string, baseDir: string): void {
  mkdirSync(checkpointDir(runDir), { recursive: true });
  const state: CheckpointState = { epoch: 0, batch: 0, model: null, baseDir, savedAt: new Date().toISOString() };
  writeJsonAtomic(join(checkpointDir(runDir), STATE_FILE), state);
}

/**
 * Saves a checkpoint: `save` writes the model and training state into the folder it is given; then
 * state.json is switched to it and older folders are removed, keeping the `keep` newest. Folders that sort
 * after the new one are left from a timeline a resume abandoned, and go too.
 */
export async function saveCheckpoint(
  runDir: string,
  at: CheckpointPosition,
  baseDir: string,
  save: (dir: string) => Promise<void> | void,
  keep = 1,
): Promise<void> {
  const root = checkpointDir(runDir);
  const model = checkpointFolderName(at);
  const dir = join(root, model);
  // A folder of that name can only be an uncommitted leftover of a killed run: start it afresh.
  rmSync(dir, { recursive: true, force: true });
  await save(dir);
  const state: CheckpointState = { ...at, model, baseDir, savedAt: new Date().toISOString() };
  writeJsonAtomic(join(root, STATE_FILE), state);
  const folders = readdirSync(root)
    .filter((entry) => FOLDER_NAME.test(entry))
    .sort();
  const kept = new Set(folders.filter((f) => f <= model).slice(-Math.max(1, keep)));
  for (const entry of folders) if (!kept.has(entry)) rmSync(join(root, entry), { recursive: true, force: true });
}

/** A run's last complete checkpoint; modelDir is absent for the start (nothing trained yet). */
export type Checkpoint = CheckpointState & { readonly batch: number; readonly modelDir?: string };

/**
 * The last complete checkpoint of a run, or undefined when it has none (it ended before it started training,
 * or state.json is unreadable, or its folder is incomplete).
 */
export function readCheckpoint(runDir: string): Checkpoint | undefined {
  let state: CheckpointState;
  try {
    state = JSON.parse(readFileSync(join(checkpointDir(runDir), STATE_FILE), 'utf8')) as CheckpointState;
  } catch {
    return undefined;
  }
  if (state === null || typeof state !== 'object' || typeof state.baseDir !== 'string') return undefined;
  const batch = state.batch ?? 0;
  if (!Number.isInteger(state.epoch) || state.epoch < 0 || !Number.isInteger(batch) || batch < 0) return undefined;
  if (state.model === null) return state.epoch === 0 && batch === 0 ? { ...state, batch } : undefined;
  if (typeof state.model !== 'string' || !FOLDER_NAME.test(state.model) || (state.epoch === 0 && batch === 0))
    return undefined;
  const modelDir = join(checkpointDir(runDir), state.model);
  return existsSync(join(modelDir, 'model.json')) ? { ...state, batch, modelDir } : undefined;
}
