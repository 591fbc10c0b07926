import { join } from 'node:path';

/** The names of the files in a run folder, in one place so writers and readers agree. */
export const RUN_FILES = {
  config: 'config.json',
  status: 'status.json',
  metrics: 'metrics.jsonl',
  summary: 'summary.json',
  samples: 'samples.png',
  generation: 'generation.png',
  model: 'model',
  epochImages: 'epochs',
  log: 'run.log',
  /** The trainer's start and latest batch, so a window that reattaches to a live run shows its progress. */
  progress: 'progress.json',
  /** The user's own name, tags and note for the run (runNotes.ts); the only file a user edits in a run folder. */
  notes: 'notes.json',
} as const;

export function runFile(runDir: string, file: keyof typeof RUN_FILES): string {
  return join(runDir, RUN_FILES[file]);
}

export function epochImagePath(runDir: string, epoch: number): string {
  return join(runDir, RUN_FILES.epochImages, `epoch-${String(epoch).padStart(4, '0')}.png`);
}
