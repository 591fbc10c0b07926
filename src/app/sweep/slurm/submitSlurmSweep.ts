import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { SweepPlan } from '../../../core/sweep/expandSweep';
import { batchScript } from './batchScript';
import { runSlurm, slurmMessage, SlurmError } from './slurmCommands';
import { checkSlurmOptions, sbatchArguments, type SlurmOptions } from './slurmOptions';
import {
  arraySpec,
  readSlurmSweepFile,
  taskLogPattern,
  writeSlurmSweepFile,
  type SlurmSubmission,
  type SlurmSweepFile,
} from './slurmSweepFile';
import { viewSlurmSweep, viewsAsOutcomes } from './slurmSweepStatus';
import { createSweepFolder, plannedColumns, SUCCESSFUL, UNFINISHED, writeSweepResults } from '../sweepResults';

/** The first executable called `name` on the PATH, without running anything. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

export interface SlurmSubmitRequest {
  readonly plan: SweepPlan;
  /** Absolute runs folder, which the compute nodes must see: the runs go there, the sweep folder inside it. */
  readonly runsDir: string;
  readonly options: SlurmOptions;
  /** The Node binary and the denoise script each task runs. */
  readonly node: string;
  readonly cli: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface SlurmSubmitted {
  readonly folder: string;
  readonly jobId: string;
  readonly indices: readonly number[];
  readonly options: SlurmOptions;
}

const NOT_ON_PATH =
  "sbatch is not on the PATH: `--on slurm` needs Slurm's commands; run it on a login node of the cluster, " +
  'or install them (Debian: slurm-client)';

/**
 * Submits a checked sweep as one Slurm job array (one sbatch call, one task per run, task id = run index)
 * and records it in a new sweep folder: slurm.json (each run's config, the job id), job.sh, and a results
 * table with every run pending. A refused submission removes the folder and throws Slurm's own message.
 */
export async function submitSlurmSweep(request: SlurmSubmitRequest): Promise<SlurmSubmitted> {
  const env = request.env ?? process.env;
  const options = checkSlurmOptions(request.options);
  if (!findOnPath('sbatch', env)) throw new SlurmError(NOT_ON_PATH);
  const { plan } = request;
  const folder = createSweepFolder(request.runsDir, plan.name);
  try {
    mkdirSync(join(folder, 'tasks'));
    mkdirSync(join(folder, 'logs'));
    writeFileSync(join(folder, 'job.sh'), batchScript({ node: request.node, cli: request.cli, folder }), {
      mode: 0o755,
    });
    const runs = plan.runs.map((run) => ({
      index: run.index,
      label: run.label,
      overrides: run.overrides,
      columns: plannedColumns(run.config),
    }));
    const sweep: SlurmSweepFile = {
      scheduler: 'slurm',
      name: plan.name,
      file: plan.file,
      baseDir: plan.baseDir,
      runsDir: request.runsDir,
      node: request.node,
      cli: request.cli,
      fixedThreads: plan.base.compute.threads,
      experiment: plan.raw,
      runs,
      submissions: [],
    };
    writeSlurmSweepFile(folder, sweep);
    const submission = await sbatch(
      folder,
      sweep,
      runs.map((r) => r.index),
      options,
      env,
    );
    writeSlurmSweepFile(folder, { ...sweep, submissions: [submission] });
    const outcomes = runs.map((r) => ({
      index: r.index,
      label: r.label,
      status: 'pending',
      columns: r.columns,
      statusWins: true,
    }));
    writeSweepResults(folder, { name: plan.name, file: plan.file, total: runs.length }, outcomes);
    return { folder, jobId: submission.jobId, indices: submission.indices, options };
  } catch (err) {
    rmSync(folder, { recursive: true, force: true });
    throw err;
  }
}

/** One sbatch call for the given run indices; Slurm's message (and, for a bad partition, the partitions) on refusal. */
async function sbatch(
  folder: string,
  sweep: SlurmSweepFile,
  indices: readonly number[],
  options: SlurmOptions,
  env: NodeJS.ProcessEnv,
): Promise<SlurmSubmission> {
  const args = [
    '--parsable',
    `--array=${arraySpec(indices)}`,
    `--job-name=denoise-${sweep.name}`,
    `--output=${taskLogPattern(folder)}`,
    `--chdir=${folder}`,
    ...sbatchArguments(options),
    join(folder, 'job.sh'),
  ];
  const result = await runSlurm('sbatch', args, env).catch((err) => {
    throw err instanceof SlurmError ? new SlurmError(NOT_ON_PATH) : err;
  });
  const jobId = /^(\d+)/.exec(result.stdout.trim())?.[1];
  if (result.code !== 0 || !jobId) {
    let hint = '';
    if (/invalid partition/i.test(result.stderr)) {
      const partitions = await runSlurm('sinfo', ['-h', '-o', '%P'], env).catch(() => undefined);
      const names = partitions?.stdout
        .split('\n')
        .map((p) => p.trim())
        .filter(Boolean);
      if (names?.length)
        hint =
          `\nPartitions on this cluster: ${names.join(', ')} ` +
          '(the one marked * is the default; leave --partition out to use it).';
    }
    throw new SlurmError(`Slurm refused the sweep's job array:\n${slurmMessage(result)}${hint}`);
  }
  return { jobId, indices: [...indices], submittedAt: new Date().toISOString(), options };
}

/**
 * Resubmits the runs of a Slurm sweep that did not complete and are not waiting or running now (failed,
 * cancelled, timed out, never started), as one new job array with the same task ids. Each task continues
 * its run from the last checkpoint when there is one (`denoise sweep-task` decides), else starts it again.
 * `options` replace the recorded ones field by field (e.g. a longer --time).
 */
export async function resubmitSlurmSweep(
  folder: string,
  options: Partial<SlurmOptions>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SlurmSubmitted | { folder: string; nothing: string }> {
  const sweep = readSlurmSweepFile(folder);
  const views = await viewSlurmSweep(folder, sweep, env);
  const indices = views.filter((v) => !SUCCESSFUL.has(v.status) && !UNFINISHED.has(v.status)).map((v) => v.index);
  if (indices.length === 0) {
    const waiting = views.filter((v) => UNFINISHED.has(v.status)).length;
    return {
      folder,
      nothing: waiting ? `every run completed or is still waiting or running (${waiting})` : 'every run completed',
    };
  }
  if (!findOnPath('sbatch', env)) throw new SlurmError(NOT_ON_PATH);
  const previous = sweep.submissions.at(-1)?.options ?? {};
  const merged = checkSlurmOptions({
    ...previous,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined && v !== '')),
  });
  const submission = await sbatch(folder, sweep, indices, merged, env);
  const updated = { ...sweep, submissions: [...sweep.submissions, submission] };
  writeSlurmSweepFile(folder, updated);
  writeSweepResults(
    folder,
    { name: sweep.name, file: sweep.file, total: sweep.runs.length },
    viewsAsOutcomes(
      views.map((v) => (indices.includes(v.index) ? { ...v, status: 'pending' } : v)),
      updated,
    ),
  );
  return { folder, jobId: submission.jobId, indices, options: merged };
}
