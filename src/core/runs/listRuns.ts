import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunSummary } from './runSummary';
import { readRunStatus, type RunStatusFile } from './runStatus';
import { runFile } from './runFiles';
import { readRunNotes, type RunNotes } from './runNotes';
import type { ExperimentConfig } from '../config/experimentConfig.generated';

/** What a list of runs shows for each run folder. */
export interface RunListing {
  readonly runDir: string;
  readonly folder: string;
  readonly name: string;
  readonly status: RunStatusFile['status'] | 'unknown';
  readonly startedAt?: string;
  readonly summary?: RunSummary;
  readonly epoch?: number;
  readonly epochs?: number;
  /** The user's name, tags and note for the run (notes.json). */
  readonly notes: RunNotes;
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function readRunSummary(runDir: string): RunSummary | undefined {
  return readJson<RunSummary>(runFile(runDir, 'summary'));
}

export function readRunConfig(runDir: string): ExperimentConfig | undefined {
  return readJson<ExperimentConfig>(runFile(runDir, 'config'));
}

/** One run folder's state, from summary.json when it finished, else from status.json. */
export function describeRun(runDir: string): RunListing {
  const folder = runDir.split(/[\\/]/).pop() ?? runDir;
  const summary = readRunSummary(runDir);
  const status = readRunStatus(runDir);
  const config = readRunConfig(runDir);
  return {
    runDir,
    folder,
    name: summary?.name ?? config?.name ?? folder,
    status: summary?.status ?? status?.status ?? 'unknown',
    startedAt: summary?.startedAt ?? status?.startedAt,
    summary,
    epoch: status?.epoch,
    epochs: status?.epochs,
    notes: readRunNotes(runDir),
  };
}

/** All runs in a runs folder, newest first (folder names start with their start time). */
export function listRuns(runsDir: string): RunListing[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir)
    .map((entry) => join(runsDir, entry))
    .filter((dir) => statSync(dir).isDirectory() && existsSync(runFile(dir, 'config')))
    .sort()
    .reverse()
    .map(describeRun);
}

/**
 * Finds a run folder from a path, or from "latest:NAME" (the newest completed run of experiment NAME),
 * as used by `training.startFrom.run`.
 */
export function resolveRunReference(reference: string, baseDir: string, runsDir: string): string {
  const latest = /^latest:(.+)$/.exec(reference);
  if (latest) {
    const match = listRuns(runsDir).find(
      (r) => r.name === latest[1] && (r.status === 'completed' || r.status === 'earlyStopped'),
    );
    if (!match) throw new Error(`no completed run of experiment "${latest[1]}" in ${runsDir}; run it first`);
    return match.runDir;
  }
  const dir = resolve(baseDir, reference);
  if (!existsSync(runFile(dir, 'config'))) throw new Error(`${dir} is not a Denoise Lab run folder (no config.json)`);
  return dir;
}
