/** A word for a POSIX shell, in single quotes. */
export const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * The batch script every task of a sweep runs: the run's threads follow the CPUs Slurm gave the task, and
 * `denoise sweep-task` trains the run whose index is the task's array id. Written into the sweep folder
 * (job.sh) so a user can read what was submitted.
 */
export function batchScript(options: { readonly node: string; readonly cli: string; readonly folder: string }): string {
  return [
    '#!/bin/bash',
    '# Written by `denoise sweep --on slurm`: one task of this array job = one run of the sweep.',
    '# BLAS and OpenMP threads = the CPUs Slurm gave the task (--cpus-per-task, 1 when not asked).',
    'export OPENBLAS_NUM_THREADS="${SLURM_CPUS_PER_TASK:-1}"',
    'export OMP_NUM_THREADS="${SLURM_CPUS_PER_TASK:-1}"',
    "# VS Code's own Node is an Electron binary that behaves as plain Node only with this set.",
    'export ELECTRON_RUN_AS_NODE=1',
    `exec ${shellQuote(options.node)} ${shellQuote(options.cli)} sweep-task ${shellQuote(options.folder)} ` +
      '"$SLURM_ARRAY_TASK_ID"',
    '',
  ].join('\n');
}
