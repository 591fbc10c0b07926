import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../files/atomicWrite';

/** The run folder's checkpoint folder: one sub-folder per saved epoch and state.json naming the valid one. */
export const CHECKPOINT_DIR = 'checkpoint';
const STATE_FILE = 'state.json';

/**
 * checkpoint/state.json: which saved model is the last complete one. It is written (atomically) only after
 * that model's files are complete, so it is the commit point: a crash while saving leaves the previous
 * state pointing at the previous, intact model. The optimizer's state (Adam's moments, momentum) is not
 * saved: a resumed run restarts its optimizer from zero, which costs a few batches of re-warming.
 */
export interface CheckpointState {
  /** Last epoch whose weights are saved (1-based). */
  readonly epoch: number;
  /** Folder of those weights, relative to checkpoint/ (e.g. "epoch-0003"). */
  readonly model: string;
  /** The experiment file's folder, from which the config's relative dataset paths resolve. */
  readonly baseDir: string;
  readonly savedAt: string;
}

export function checkpointDir(runDir: string): string {
  return join(runDir, CHECKPOINT_DIR);
}

function epochFolder(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, '0')}`;
}

/**
 * Saves the weights after an epoch: `save` writes a model into the folder it is given; then state.json is
 * switched to it and older epoch folders are removed. Only the newest checkpoint is kept.
 */
export async function saveCheckpoint(
  runDir: string,
  epoch: number,
  baseDir: string,
  save: (dir: string) => Promise<void>,
): Promise<void> {
  const root = checkpointDir(runDir);
  const model = epochFolder(epoch);
  await save(join(root, model));
  const state: CheckpointState = { epoch, model, baseDir, savedAt: new Date().toISOString() };
  writeJsonAtomic(join(root, STATE_FILE), state);
  for (const entry of readdirSync(root)) {
    if (entry.startsWith('epoch-') && entry !== model) rmSync(join(root, entry), { recursive: true, force: true });
  }
}

/** The last complete checkpoint of a run, or undefined when it has none (it ended before its first epoch). */
export function readCheckpoint(runDir: string): (CheckpointState & { readonly modelDir: string }) | undefined {
  let state: CheckpointState;
  try {
    state = JSON.parse(readFileSync(join(checkpointDir(runDir), STATE_FILE), 'utf8')) as CheckpointState;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(state.epoch) || state.epoch < 1 || typeof state.model !== 'string' || !/^epoch-\d+$/.test(state.model)) return undefined;
  const modelDir = join(checkpointDir(runDir), state.model);
  return existsSync(join(modelDir, 'model.json')) ? { ...state, modelDir } : undefined;
}
