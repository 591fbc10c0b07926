import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentConfig } from '../../core/config/experimentConfig.generated';
import { writeFileAtomic, writeJsonAtomic } from '../../core/files/atomicWrite';
import { describeNoise } from '../../core/noise/describeNoise';
import { describeRun } from '../../core/runs/listRuns';
import { timestamp } from '../../core/runs/runFolder';
import type { ResultRow } from '../results/resultColumns';
import { resultsCsv, resultsMarkdown } from '../results/resultExports';
import { configColumns, runRow } from '../runs/runRow';

/** What a row shows of a run that never made a folder: its noise and hyper-parameters. */
export type PlannedColumns = Pick<
  ResultRow,
  'noise' | 'layers' | 'codeSize' | 'optimizer' | 'learningRate' | 'batchSize' | 'epochs'
>;

/** A run's planned columns from its checked config. */
export const plannedColumns = (config: ExperimentConfig): PlannedColumns => ({
  noise: describeNoise(config.noise),
  ...configColumns(config),
});

/** How one run of a sweep ended, as the runner saw it. */
export interface SweepRunOutcome {
  readonly index: number;
  readonly label: string;
  /** completed, stopped, diverged, failed... or, when no run folder came of it: badInput, crashed, cancelled. */
  readonly status: string;
  /** The run's folder, once it started one. */
  readonly runDir?: string;
  /** Why it failed, in the run's own words. */
  readonly message?: string;
  /** The run's checked config: its row shows the intended hyper-parameters even if it never started. */
  readonly config?: ExperimentConfig;
  /** The same columns, kept instead of the whole config (a Slurm sweep's record of 1,000 runs stays small). */
  readonly columns?: PlannedColumns;
  /** The status comes from a scheduler that knows better than the run folder (Slurm's pending, timedOut...). */
  readonly statusWins?: boolean;
}

/** Statuses of a run that has not ended yet (a sweep on Slurm writes its table while tasks wait or train). */
export const UNFINISHED = new Set(['pending', 'running']);

/** Statuses of a run that trained to its end. */
export const SUCCESSFUL = new Set(['completed', 'earlyStopped']);

/** A new folder `<runsDir>/<sweep name>-<time>` for the sweep's results table. */
export function createSweepFolder(runsDir: string, name: string, now = new Date()): string {
  mkdirSync(runsDir, { recursive: true });
  const base = join(runsDir, `${name}-${timestamp(now)}`);
  for (let i = 1; i < 1000; i++) {
    const dir = i === 1 ? base : `${base}-${i}`;
    try {
      mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`could not create a new sweep folder in ${runsDir}`);
}

/**
 * The table row of each run, in the sweep's order: the run folder's figures under the sweep's label, or
 * for a run that never made a folder, its label and how it ended.
 */
export function sweepRows(outcomes: readonly SweepRunOutcome[]): ResultRow[] {
  return [...outcomes]
    .sort((a, b) => a.index - b.index)
    .map((outcome) => {
      if (!outcome.runDir) {
        const columns = outcome.config ? plannedColumns(outcome.config) : (outcome.columns ?? configColumns(undefined));
        return { runDir: '', name: outcome.label, status: outcome.status, ...columns };
      }
      const row: ResultRow = runRow(describeRun(outcome.runDir), outcome.label);
      // A crashed trainer leaves status.json at "running": the runner knows better.
      return outcome.statusWins || row.status === 'unknown' || row.status === 'running'
        ? { ...row, status: outcome.status }
        : row;
    });
}

export interface SweepResultFiles {
  readonly markdown: string;
  readonly csv: string;
  readonly json: string;
}

/**
 * Writes results.md, results.csv and sweep.json (each run's label, status, folder and message) into the
 * sweep folder; called after every run so an interrupted sweep still has its table.
 */
export function writeSweepResults(
  folder: string,
  sweep: { readonly name: string; readonly file: string; readonly total: number },
  outcomes: readonly SweepRunOutcome[],
): SweepResultFiles {
  const rows = sweepRows(outcomes);
  const ended = outcomes.filter((o) => !UNFINISHED.has(o.status));
  const failed = ended.filter((o) => !SUCCESSFUL.has(o.status));
  const files = {
    markdown: join(folder, 'results.md'),
    csv: join(folder, 'results.csv'),
    json: join(folder, 'sweep.json'),
  };
  const heading = [
    `# Sweep ${sweep.name}`,
    '',
    `From \`${sweep.file}\`: ${ended.length} of ${sweep.total} runs ended, ${failed.length} did not complete.`,
    ...failed.filter((o) => o.message).map((o) => `- ${o.label}: ${o.status}: ${o.message?.split('\n')[0]}`),
    '',
  ];
  writeFileAtomic(files.markdown, `${heading.join('\n')}\n${resultsMarkdown(rows)}`);
  writeFileAtomic(files.csv, resultsCsv(rows));
  const runs = [...outcomes]
    .sort((a, b) => a.index - b.index)
    .map(({ config: _config, columns: _columns, statusWins: _wins, ...rest }) => rest);
  writeJsonAtomic(files.json, { name: sweep.name, file: sweep.file, total: sweep.total, runs });
  return files;
}
