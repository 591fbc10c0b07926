import * as vscode from 'vscode';
import { ConfigError } from '../../core/config/configError';
import { loadSweep } from '../../core/sweep/expandSweep';
import { mergeSlurmOptions, type SlurmOptions } from '../../app/sweep/slurm/slurmOptions';
import { findOnPath, submitSlurmSweep } from '../../app/sweep/slurm/submitSlurmSweep';
import type { Lab } from '../lab';

/**
 * Where Run Sweep trains: on this machine without asking when Slurm's sbatch is not on the PATH; otherwise
 * the user picks (on a cluster's login node, typically through Remote-SSH). Undefined: the pick was dismissed.
 */
export async function pickWhere(): Promise<'here' | 'slurm' | undefined> {
  if (!findOnPath('sbatch')) return 'here';
  const picked = await vscode.window.showQuickPick(
    [
      {
        label: 'On this machine',
        description: 'child processes, denoiseLab.maxParallelRuns at a time',
        where: 'here' as const,
      },
      {
        label: 'On Slurm',
        description: 'one job array (sbatch), one task per run; settings: denoiseLab.slurm.*',
        where: 'slurm' as const,
      },
    ],
    { placeHolder: 'Run the sweep where?' },
  );
  return picked?.where;
}

/** The denoiseLab.slurm.* settings: what the experiment's sweep.slurm leaves out. */
function slurmSettings(): Partial<SlurmOptions> {
  const config = vscode.workspace.getConfiguration('denoiseLab.slurm');
  const text = (key: string) =>
    typeof config.get(key) === 'string' ? (config.get(key) as string).trim() || undefined : undefined;
  const cpus = config.get('cpusPerTask');
  return {
    partition: text('partition'),
    time: text('time'),
    cpusPerTask: typeof cpus === 'number' && cpus > 0 ? cpus : undefined,
    mem: text('mem'),
    gres: text('gres'),
    account: text('account'),
  };
}

/**
 * Submits the sweep to Slurm as one job array, the Runs view follows its tasks (queued, running with
 * their epochs and validation PSNR) and Stop on a task cancels it. The engine setting applies; the BLAS
 * threads follow each task's CPUs instead of denoiseLab.blasThreads.
 */
export async function submitToSlurm(
  lab: Lab,
  file: string,
  overrides: readonly string[],
  runsDir: string,
): Promise<void> {
  try {
    const plan = loadSweep(
      file,
      overrides.filter((o) => !o.startsWith('compute.threads=')),
    );
    const options = mergeSlurmOptions(slurmSettings(), plan.base.sweep?.slurm);
    const submitted = await submitSlurmSweep({
      plan,
      runsDir,
      options,
      node: process.execPath,
      cli: lab.context.asAbsolutePath('dist/cli.js'),
    });
    lab.slurmSweeps.watch(submitted.folder);
    lab.log.info(
      `Sweep ${plan.name}: ${plan.runs.length} run(s) submitted to Slurm as job array ${submitted.jobId}; ` +
        `results go to ${submitted.folder}`,
    );
    void vscode.window.showInformationMessage(
      `Denoise Lab: sweep ${plan.name} submitted to Slurm as job array ${submitted.jobId} ` +
        `(${plan.runs.length} tasks). The Runs view follows them.`,
    );
  } catch (err) {
    const message =
      err instanceof ConfigError
        ? `${err.problems[0]?.path || 'The sweep'} cannot run: ${err.problems[0]?.message ?? err.message}`
        : (err as Error).message;
    lab.log.error((err as Error).message);
    void vscode.window
      .showErrorMessage(`Denoise Lab: ${message}`, 'Show Log')
      .then((choice) => choice && lab.showLog());
  }
}
