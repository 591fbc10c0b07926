import { hostname } from 'node:os';
import { ConfigError } from '../../core/config/configError';
import { resolveConfig, type LoadedConfig } from '../../core/config/loadConfig';
import { prepareResume, type ResumePoint } from '../../core/experiment/resumePoint';
import { runExperiment } from '../../core/experiment/runExperiment';
import { writeJsonAtomic } from '../../core/files/atomicWrite';
import type { TrainingEvent } from '../../core/training/events';
import { refreshSlurmSweep } from '../../app/sweep/slurm/slurmSweepResults';
import {
  readSlurmSweepFile,
  readTaskRecord,
  taskRecordPath,
  type SlurmSweepFile,
  type TaskRecord,
} from '../../app/sweep/slurm/slurmSweepFile';
import { markInterrupted } from '../../app/sweep/slurm/slurmSweepStatus';
import { SUCCESSFUL } from '../../app/sweep/sweepResults';
import { EXIT } from '../../app/exitCodes';
import { ProgressReporter } from '../progressReporter';
import { printSummary } from '../commands/summaryText';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const VISIBILITY =
  'the runs folder must be on a file system every compute node shares with the login node ' +
  '(a home or scratch folder, not /tmp); ' +
  'set output.runsDir or --runs-dir to one and submit again';

/**
 * `denoise sweep-task SWEEP_FOLDER INDEX`: what one task of a Slurm job array runs (job.sh calls it with
 * the task's array id). Trains run INDEX of the sweep from the config recorded at submission, with BLAS
 * threads = the task's CPUs; continues the run's earlier folder from its checkpoint when an earlier task
 * was stopped (time limit, scancel); records where it runs in tasks/INDEX.json; rewrites the sweep's
 * results table when it ends. Slurm's SIGTERM (time limit, scancel) marks the run interrupted, resumable.
 */
export async function sweepTaskCommand(folder: string, indexText: string): Promise<number> {
  const host = hostname();
  let sweep: SlurmSweepFile;
  try {
    sweep = readSlurmSweepFile(folder);
  } catch (err) {
    process.stderr.write(
      `denoise sweep-task on ${host}: cannot read the sweep folder ${folder}: ` +
        `${(err as Error).message}; ${VISIBILITY}\n`,
    );
    return EXIT.badInput;
  }
  const index = Number(indexText);
  const run = sweep.runs.find((r) => r.index === index);
  if (!run) {
    process.stderr.write(
      `denoise sweep-task: the sweep in ${folder} has no run ${indexText} (runs 0 to ${sweep.runs.length - 1})\n`,
    );
    return EXIT.badInput;
  }
  const jobId = process.env.SLURM_ARRAY_JOB_ID ?? process.env.SLURM_JOB_ID ?? 'none';
  const previous = readTaskRecord(folder, index);
  let record: TaskRecord = { index, jobId, host, pid: process.pid, startedAt: new Date().toISOString() };
  const writeRecord = (next: TaskRecord) => {
    record = next;
    mkdirSync(dirname(taskRecordPath(folder, index)), { recursive: true });
    writeJsonAtomic(taskRecordPath(folder, index), record);
  };
  try {
    writeRecord(record);
  } catch (err) {
    process.stderr.write(
      `denoise sweep-task on ${host}: cannot write into the sweep folder ${folder}: ` +
        `${(err as Error).message}; ${VISIBILITY}\n`,
    );
    return EXIT.badInput;
  }

  const { loaded, resume } = startingPoint(sweep, run, previous, jobId);
  if (resume) writeRecord({ ...record, runDir: resume.runDir, resumed: true });
  process.stdout.write(
    `Sweep ${sweep.name}, run ${index + 1}/${sweep.runs.length} on ${host} ` +
      `(Slurm job ${jobId}_${index}): ${run.label}\n`,
  );

  const reporter = new ProgressReporter();
  const onEvent = (event: TrainingEvent) => {
    if (event.type === 'started' && !resume) writeRecord({ ...record, runDir: event.runDir });
    reporter.handle(event);
  };
  // Slurm's time limit and scancel send SIGTERM, then SIGKILL after KillWait: the run is marked
  // interrupted at once, so it can be resumed from its last checkpoint.
  process.once('SIGTERM', () => {
    if (record.runDir) markInterrupted(record.runDir, 'stopped by Slurm (time limit or scancel)');
    process.exit(143);
  });
  let status = 'failed';
  try {
    const { summary } = await runExperiment(loaded, { onEvent, runsDir: sweep.runsDir, resume });
    reporter.stop();
    printSummary(summary);
    status = summary.status;
  } finally {
    reporter.stop();
    await refreshSlurmSweep(folder).catch((err) =>
      process.stderr.write(`could not rewrite the sweep's results table: ${(err as Error).message}\n`),
    );
  }
  return SUCCESSFUL.has(status) ? EXIT.ok : EXIT.runFailed;
}

/** The run's recorded config with this task's threads, or the earlier task's run folder to continue. */
function startingPoint(
  sweep: SlurmSweepFile,
  run: SlurmSweepFile['runs'][number],
  previous: TaskRecord | undefined,
  jobId: string,
): { loaded: LoadedConfig; resume?: ResumePoint } {
  if (previous?.runDir && previous.jobId !== jobId) {
    // The earlier task has ended (Slurm resubmits only ended runs): a run it left "running" was killed.
    markInterrupted(previous.runDir, 'its Slurm task ended before the run did');
    try {
      // The claim on the folder is held until this task's process ends (proper-lockfile releases it on exit).
      const { loaded, resume } = prepareResume(previous.runDir);
      process.stdout.write(`Continuing ${previous.runDir} after epoch ${resume.history.length}\n`);
      return { loaded, resume };
    } catch (err) {
      process.stdout.write(`Starting the run again: ${(err as Error).message}\n`);
    }
  }
  const cpus = Number(process.env.SLURM_CPUS_PER_TASK) || 1;
  const threads = sweep.fixedThreads || cpus;
  const { config, problems } = resolveConfig(sweep.experiment, [...run.overrides, `compute.threads=${threads}`]);
  if (!config) throw new ConfigError(sweep.file, problems);
  return { loaded: { file: sweep.file, baseDir: sweep.baseDir, config } };
}
