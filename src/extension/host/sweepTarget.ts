import { basename } from 'node:path';
import { parse } from 'jsonc-parser';

/** Whether an experiment's text has a `sweep` section (read leniently: an unsaved file may not parse yet). */
export function hasSweepSection(text: string): boolean {
  const parsed = parse(text, [], { allowTrailingComma: true }) as unknown;
  return typeof parsed === 'object' && parsed !== null && 'sweep' in parsed;
}

/**
 * Which file Run Sweep acts on when it was not invoked on one: the active editor's when it has a sweep,
 * else the only visible one that has, else undefined (the user picks among the experiments with sweeps).
 */
export function sweepFileFrom(candidates: readonly { path: string; text: string }[]): string | undefined {
  const paths = [...new Set(candidates.filter((c) => hasSweepSection(c.text)).map((c) => c.path))];
  if (paths.length > 0 && paths[0] === candidates[0]?.path) return paths[0];
  return paths.length === 1 ? paths[0] : undefined;
}

/** The refusal of a sweep that cannot run, naming the file and saying what to add. */
export function sweepRefusal(file: string, problems: readonly { path: string; message: string }[]): string {
  const name = basename(file);
  if (problems.length === 1 && problems[0].path === 'sweep' && problems[0].message.startsWith('is missing')) {
    return `${name} has no "sweep" section: add one with grid, runs or random to run many experiments, or use Run Experiment for one run.`;
  }
  const listed = problems
    .slice(0, 3)
    .map((p) => (p.path ? `${p.path}: ${p.message}` : p.message))
    .join('; ');
  return `The sweep of ${name} cannot run (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${listed}`;
}
