import { readFileSync } from 'node:fs';

/**
 * The record an apply's trainer keeps of its work, rewritten atomically as it goes: what a window that opens
 * after a reload needs to follow a live apply (progress) or to say truthfully how it ended. It is the apply's
 * counterpart of a run folder's status.json and progress.json (training reattaches through those); an apply
 * has no run folder of its own, so the extension names a file in its workspace storage.
 */
export interface ApplyProgress {
  /** The trainer's process: while the state is `running`, a dead pid means it was killed or crashed. */
  readonly pid: number;
  readonly state: 'running' | 'done' | 'failed';
  readonly runDir: string;
  readonly inputs: readonly string[];
  readonly out: string;
  readonly startedAt: string;
  /** Files to write, once planned. */
  readonly files?: number;
  readonly model?: string;
  /** The file being denoised (0-based) and its tiles done. */
  readonly file?: number;
  readonly tile?: { readonly done: number; readonly total: number };
  /** The files written so far: each complete (written under a temporary name, then renamed). */
  readonly outputs: readonly string[];
  /** Why it failed, and whether the input was at fault (a bad file, the wrong model) or the apply itself. */
  readonly message?: string;
  readonly failure?: 'badInput' | 'runFailed';
}

/** The record at `file`, or undefined when it is missing, unreadable or not such a record. */
export function readApplyProgress(file: string): ApplyProgress | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<ApplyProgress>;
    const ok =
      Number.isInteger(value.pid) &&
      ['running', 'done', 'failed'].includes(value.state as string) &&
      typeof value.runDir === 'string' &&
      typeof value.out === 'string' &&
      Array.isArray(value.inputs) &&
      Array.isArray(value.outputs);
    return ok ? (value as ApplyProgress) : undefined;
  } catch {
    return undefined;
  }
}
