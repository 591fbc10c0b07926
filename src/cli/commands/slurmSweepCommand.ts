import { resolve } from 'node:path';
import { loadSweep } from '../../core/sweep/expandSweep';
import { mergeSlurmOptions, type SlurmOptions } from '../../app/sweep/slurm/slurmOptions';
import { refreshSlurmSweep } from '../../app/sweep/slurm/slurmSweepResults';
import { resubmitSlurmSweep, submitSlurmSweep, type SlurmSubmitted } from '../../app/sweep/slurm/submitSlurmSweep';
import { SUCCESSFUL, UNFINISHED } from '../../app/sweep/sweepResults';
import { EXIT } from '../../app/exitCodes';
import { toJsonLine } from './jsonOutput';
import { printSweepStatus } from './sweepStatusCommand';

export interface SlurmSweepOptions extends Partial<SlurmOptions> {
  readonly set: string[];
  readonly json: boolean;
  readonly runsDir?: string;
  /** Poll until every task has ended, then exit 0 only if every run completed. */
  readonly wait?: boolean;
}

/**
 * `denoise sweep CONFIG --on slurm`: checks the sweep as a local sweep does, then submits it as one Slurm
 * job array (one task per run) and returns; `--wait` follows it to the end. The options come from the
 * command line, over the experiment's sweep.slurm section.
 */
export async function slurmSweepCommand(configPath: string, options: SlurmSweepOptions): Promise<number> {
  const plan = loadSweep(configPath, options.set);
  const runsDir = resolve(options.runsDir ?? resolve(plan.baseDir, plan.base.output.runsDir));
  const slurm = mergeSlurmOptions(plan.base.sweep?.slurm, options);
  const submitted = await submitSlurmSweep({
    plan,
    runsDir,
    options: slurm,
    node: process.execPath,
    cli: resolve(process.argv[1]),
  });
  report(submitted, plan.name, plan.runs.length, options.json);
  return options.wait ? waitForSweep(submitted.folder, options.json) : EXIT.ok;
}

/** `denoise sweep --resume SWEEP_FOLDER`: resubmits the runs that did not complete. */
export async function slurmResumeCommand(
  folder: string,
  options: Omit<SlurmSweepOptions, 'set' | 'runsDir'>,
): Promise<number> {
  const absolute = resolve(folder);
  const result = await resubmitSlurmSweep(absolute, options);
  if ('nothing' in result) {
    if (options.json)
      process.stdout.write(
        toJsonLine({ type: 'sweepResubmitted', folder: absolute, indices: [], message: result.nothing }),
      );
    else process.stdout.write(`Nothing to resubmit in ${absolute}: ${result.nothing}.\n`);
    return EXIT.ok;
  }
  report(result, undefined, result.indices.length, options.json);
  return options.wait ? waitForSweep(absolute, options.json) : EXIT.ok;
}

const taskRange = (indices: readonly number[]) =>
  indices.length === 1 ? String(indices[0]) : `${Math.min(...indices)}-${Math.max(...indices)}`;

function report(submitted: SlurmSubmitted, name: string | undefined, count: number, json: boolean): void {
  if (json) {
    process.stdout.write(
      toJsonLine({
        type: name ? 'sweepSubmitted' : 'sweepResubmitted',
        folder: submitted.folder,
        jobId: submitted.jobId,
        indices: submitted.indices,
        options: submitted.options,
      }),
    );
    return;
  }
  const what = name
    ? `Sweep ${name}: ${count} run(s) submitted`
    : `${count} run(s) resubmitted (${submitted.indices.map((i) => i + 1).join(', ')})`;
  process.stdout.write(
    `${what} to Slurm as job array ${submitted.jobId} (tasks ${taskRange(submitted.indices)}).\n` +
      `Results: ${submitted.folder}\n` +
      `Watch:   denoise sweep-status ${submitted.folder}\n` +
      `Cancel:  denoise sweep-cancel ${submitted.folder}\n`,
  );
}

/** Polls the sweep (rewriting its table each time) until no task waits or runs. */
async function waitForSweep(folder: string, json: boolean, everyMs = 1000): Promise<number> {
  let last = '';
  for (;;) {
    const { views } = await refreshSlurmSweep(folder);
    const counts = new Map<string, number>();
    for (const v of views) counts.set(v.status, (counts.get(v.status) ?? 0) + 1);
    const line = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
    if (line !== last && !json) process.stdout.write(`${new Date().toLocaleTimeString()}  ${line}\n`);
    last = line;
    if (!views.some((v) => UNFINISHED.has(v.status))) {
      if (json) process.stdout.write(toJsonLine({ type: 'sweepEnded', folder, runs: views }));
      else printSweepStatus(folder, views);
      return views.every((v) => SUCCESSFUL.has(v.status)) ? EXIT.ok : EXIT.runFailed;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
