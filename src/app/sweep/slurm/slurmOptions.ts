import { InputError } from '../../../core/errors/inputError';

/** What each task of a sweep asks Slurm for: `sbatch` options, all optional (Slurm's defaults apply). */
export interface SlurmOptions {
  readonly partition?: string;
  /** Wall-clock limit per task, in Slurm's formats: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
  readonly time?: string;
  /** CPUs per task; the run's BLAS threads follow it. */
  readonly cpusPerTask?: number;
  /** Memory per node, e.g. 4G. */
  readonly mem?: string;
  /** Generic resources, e.g. gpu:1. */
  readonly gres?: string;
  readonly account?: string;
}

export const SLURM_OPTION_KEYS = ['partition', 'time', 'cpusPerTask', 'mem', 'gres', 'account'] as const;

/** Slurm's time formats (sbatch --time). */
const TIME =
  /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE)$/i;
const MEM = /^\d+[KMGT]?$/i;
/** No spaces or shell-looking characters: these go to sbatch as single arguments, but a typo reads better here. */
const NAME = /^[A-Za-z0-9._:,=+\-/]+$/;

/** Every problem with a set of options, in words (empty: fine). */
export function slurmOptionProblems(options: SlurmOptions): string[] {
  const problems: string[] = [];
  if (options.time !== undefined && !TIME.test(options.time)) {
    problems.push(`time "${options.time}" is not a Slurm time; use MM, HH:MM:SS or D-HH:MM:SS, e.g. 01:30:00`);
  }
  if (options.mem !== undefined && !MEM.test(options.mem))
    problems.push(`mem "${options.mem}" is not a size; use e.g. 4000M or 4G`);
  const cpus = options.cpusPerTask;
  if (cpus !== undefined && (!Number.isInteger(cpus) || cpus < 1 || cpus > 1024))
    problems.push(`cpus-per-task ${cpus} must be a whole number from 1 to 1024`);
  for (const key of ['partition', 'gres', 'account'] as const) {
    const value = options[key];
    if (value !== undefined && !NAME.test(value))
      problems.push(`${key} "${value}" has characters Slurm names do not use`);
  }
  return problems;
}

/** Throws an InputError listing every problem; returns the options otherwise. */
export function checkSlurmOptions(options: SlurmOptions): SlurmOptions {
  const problems = slurmOptionProblems(options);
  if (problems.length) throw new InputError(`Slurm options: ${problems.join('; ')}`);
  return options;
}

/**
 * Layers of options, lowest first (e.g. VS Code settings, then the experiment's sweep.slurm, then the
 * command line): a later layer's value wins; an empty string or 0 counts as not set.
 */
export function mergeSlurmOptions(...layers: readonly (Partial<SlurmOptions> | undefined)[]): SlurmOptions {
  const out: Record<string, string | number> = {};
  for (const layer of layers) {
    for (const key of SLURM_OPTION_KEYS) {
      const value = layer?.[key];
      if (value !== undefined && value !== '' && value !== 0) out[key] = value;
    }
  }
  return out as SlurmOptions;
}

/** The options as sbatch arguments. */
export function sbatchArguments(options: SlurmOptions): string[] {
  const args: string[] = [];
  if (options.partition) args.push(`--partition=${options.partition}`);
  if (options.time) args.push(`--time=${options.time}`);
  if (options.cpusPerTask) args.push(`--cpus-per-task=${options.cpusPerTask}`);
  if (options.mem) args.push(`--mem=${options.mem}`);
  if (options.gres) args.push(`--gres=${options.gres}`);
  if (options.account) args.push(`--account=${options.account}`);
  return args;
}
