import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunSummary } from './runSummary';
import { withLiveness, type RunStatusFile } from './runStatus';
import { runFile } from './runFiles';
import { readRunNotes, type RunNotes } from './runNotes';
import { checkEpochLog } from './metricsLog';
import { configShape, readJsonRunFileCached, statusShape, summaryShape, type RunFileRead } from './runFileReads';
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
  /** What is wrong with the folder's files, each naming its file ("summary.json: not valid JSON (…)"). */
  readonly problems?: readonly string[];
}

/** summary.json when it is there and well-formed (readers may rely on its figures), else undefined. */
export function readRunSummary(runDir: string): RunSummary | undefined {
  return readJsonRunFileCached<RunSummary>(runFile(runDir, 'summary'), summaryShape).value;
}

/** config.json when it is there and has the sections readers look into, else undefined. */
export function readRunConfig(runDir: string): ExperimentConfig | undefined {
  return readJsonRunFileCached<ExperimentConfig>(runFile(runDir, 'config'), configShape).value;
}

/**
 * A run folder's three JSON files, each read and shape-checked once, then kept while unchanged
 * (readJsonRunFileCached): the extension lists every folder at each refresh.
 */
interface RunJsonFiles {
  readonly config: RunFileRead<ExperimentConfig>;
  readonly status: RunFileRead<RunStatusFile>;
  readonly summary: RunFileRead<RunSummary>;
}

function readRunJsonFiles(runDir: string): RunJsonFiles {
  return {
    config: readJsonRunFileCached<ExperimentConfig>(runFile(runDir, 'config'), configShape),
    status: readJsonRunFileCached<RunStatusFile>(runFile(runDir, 'status'), statusShape),
    summary: readJsonRunFileCached<RunSummary>(runFile(runDir, 'summary'), summaryShape),
  };
}

function problemsOf(runDir: string, files: RunJsonFiles): string[] {
  const problems = [files.config.problem, files.status.problem, files.summary.problem];
  const log = checkEpochLog(runDir);
  problems.push(log.problem);
  const epochs = files.summary.value?.epochsCompleted ?? 0;
  if (!log.problem && log.records === 0 && epochs > 0 && existsSync(runFile(runDir, 'metrics')))
    problems.push(`metrics.jsonl: the file is empty, but the run finished ${epochs} epoch(s)`);
  return problems.filter((p): p is string => p !== undefined);
}

/** What is wrong with a run folder's files, each problem naming its file; empty for a sound folder. */
export function runFolderProblems(runDir: string): string[] {
  return problemsOf(runDir, readRunJsonFiles(runDir));
}

/** One run folder's state, from summary.json when it finished, else from status.json. */
export function describeRun(runDir: string): RunListing {
  const folder = runDir.split(/[\\/]/).pop() ?? runDir;
  // Each file read once, for both the listing and its problems (a listing of 1,000 runs reads them all).
  const files = readRunJsonFiles(runDir);
  const summary = files.summary.value;
  const status = withLiveness(files.status.value);
  const config = files.config.value;
  const problems = problemsOf(runDir, files);
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
    ...(problems.length ? { problems } : {}),
  };
}

/** A folder (a link to one counts); a broken link or an entry that vanished meanwhile is none. */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** All runs in a runs folder, newest first (folder names start with their start time). */
export function listRuns(runsDir: string): RunListing[] {
  if (!existsSync(runsDir)) return [];
  return readdirSync(runsDir)
    .map((entry) => join(runsDir, entry))
    .filter((dir) => isFolder(dir) && existsSync(runFile(dir, 'config')))
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
