import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type ConfigProblem } from '../config/configError';
import type { ExperimentConfig } from '../config/experimentConfig.generated';
import { parseJsonText, resolveConfig } from '../config/loadConfig';
import { parseOverride } from '../config/overrides';
import { runLabels, runName } from './sweepLabels';
import { sweepCombinations, type SweepPoint } from './sweepValues';

/** One run of a sweep, ready to start: its label, its overrides and its checked config. */
export interface SweepRun {
  readonly index: number;
  /** "seed-table1 codeSize=100 lr=0.5": the sweep's name and what this run changes. */
  readonly label: string;
  /** The fields this run sets, as written in the sweep. */
  readonly values: SweepPoint;
  /**
   * `PATH=VALUE` overrides that turn the experiment file into this run (the sweep's, then the user's --set, then its
   * name).
   */
  readonly overrides: readonly string[];
  /** The validated config of the run, every default filled in. */
  readonly config: ExperimentConfig;
}

export interface SweepPlan {
  readonly file: string;
  readonly baseDir: string;
  readonly name: string;
  readonly parallel: number;
  /** The experiment with the user's --set applied (its sweep section included). */
  readonly base: ExperimentConfig;
  /** The experiment as parsed from its file: each run is it with the run's overrides applied. */
  readonly raw: unknown;
  readonly runs: readonly SweepRun[];
}

/** At most this many runs: a typo in a grid should not queue a million trainings. */
export const MAX_SWEEP_RUNS = 1000;

const overrideText = (path: string, value: unknown) => `${path}=${JSON.stringify(value)}`;

/**
 * Where a path steps past the end of a list (e.g. noise.steps[5] with 2 steps), which an override would
 * otherwise fill with holes; reported in words rather than as a schema error about `null` items.
 */
function pathProblem(raw: unknown, path: string): string | undefined {
  const parsed = parseOverride(`${path}=0`);
  if ('message' in parsed) return `"${path}" is not a field path`;
  let node: unknown = raw;
  for (const [i, segment] of parsed.path.entries()) {
    if (
      Array.isArray(node) &&
      /^\d+$/.test(segment) &&
      Number(segment) > node.length - (i === parsed.path.length - 1 ? 0 : 1)
    ) {
      return `the list has ${node.length} item(s), so index ${segment} does not exist`;
    }
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return undefined;
}

/** The value at a field path of the resolved experiment (defaults filled), undefined when absent. */
function valueAt(config: unknown, path: string): unknown {
  const parsed = parseOverride(`${path}=0`);
  if ('message' in parsed) return undefined;
  return parsed.path.reduce<unknown>(
    (node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
    config,
  );
}

/**
 * Expands a parsed experiment with a `sweep` section into its runs (grid × explicit runs × random draws),
 * each checked against the schema. `setTexts` (the command line's --set) apply to the experiment before
 * expansion and to every run after its sweep values: the user's last word wins. Throws ConfigError
 * naming the bad path and the runs it affects.
 */
export function expandSweep(raw: unknown, file: string, setTexts: readonly string[] = []): SweepPlan {
  const absolute = resolve(file);
  const { config: base, problems } = resolveConfig(raw, setTexts);
  if (!base) throw new ConfigError(absolute, problems);
  if (!base.sweep) {
    throw new ConfigError(absolute, [
      {
        path: 'sweep',
        message: 'is missing: add a sweep section with grid, runs or random (or use `denoise run` for a single run)',
      },
    ]);
  }
  const combinations = sweepCombinations(base.sweep);
  if (combinations.length > MAX_SWEEP_RUNS) {
    throw new ConfigError(absolute, [
      { path: 'sweep', message: `expands to ${combinations.length} runs; at most ${MAX_SWEEP_RUNS} are allowed` },
    ]);
  }
  const labels = runLabels(base.name, combinations, (path) => valueAt(base, path));
  const width = String(combinations.length).length;
  const found = new Map<string, { problem: ConfigProblem; runs: string[] }>();
  const runs: SweepRun[] = [];
  combinations.forEach((combination, index) => {
    const label = labels[index];
    const pathProblems: ConfigProblem[] = Object.keys(combination.values)
      .map((path) => ({ path, message: pathProblem(raw, path) }))
      .filter((p): p is ConfigProblem => p.message !== undefined);
    const usable = Object.entries(combination.values).filter(([path]) => !pathProblems.some((p) => p.path === path));
    const overrides = [
      ...usable.map(([path, value]) => overrideText(path, value)),
      ...setTexts,
      overrideText('name', runName(label, index, width)),
    ];
    const checked = resolveConfig(raw, overrides);
    const resolved = pathProblems.length ? { problems: [...pathProblems, ...checked.problems] } : checked;
    for (const problem of resolved.problems) {
      const key = `${problem.path}\u0000${problem.message}`;
      const entry = found.get(key) ?? { problem, runs: [] };
      entry.runs.push(label);
      found.set(key, entry);
    }
    if (resolved.config) runs.push({ index, label, values: combination.values, overrides, config: resolved.config });
  });
  if (found.size > 0) {
    throw new ConfigError(
      absolute,
      [...found.values()].map(({ problem, runs: bad }) => ({
        path: problem.path,
        message: `${problem.message} (in ${bad.length === combinations.length ? 'every run' : `${bad.length} of ${combinations.length} runs, e.g. "${bad[0]}"`} of the sweep)`,
      })),
    );
  }
  return {
    file: absolute,
    baseDir: resolve(absolute, '..'),
    name: base.name,
    parallel: base.sweep.parallel,
    base,
    raw,
    runs,
  };
}

/** Reads an experiment file and expands its sweep; throws ConfigError for every problem found. */
export function loadSweep(file: string, setTexts: readonly string[] = []): SweepPlan {
  const absolute = resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (err) {
    throw new ConfigError(absolute, [
      { path: '', message: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message },
    ]);
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new ConfigError(absolute, [parsed.problem]);
  return expandSweep(parsed.value, absolute, setTexts);
}
