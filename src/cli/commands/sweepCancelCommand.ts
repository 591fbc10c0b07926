import { resolve } from 'node:path';
import { cancelSlurmSweep } from '../../app/sweep/slurm/cancelSlurmSweep';
import { EXIT } from '../../app/exitCodes';
import { toJsonLine } from './jsonOutput';

/** `denoise sweep-cancel SWEEP_FOLDER [--run N]`: scancel of the sweep's waiting and running tasks (or one run's). */
export async function sweepCancelCommand(folder: string, options: { run?: number[]; json: boolean }): Promise<number> {
  const absolute = resolve(folder);
  const result = await cancelSlurmSweep(
    absolute,
    options.run?.map((n) => n - 1),
  );
  if (options.json) process.stdout.write(toJsonLine({ folder: absolute, ...result }));
  else if (result.cancelled.length === 0)
    process.stdout.write(`Nothing to cancel in ${absolute}: no run is waiting or running.\n`);
  else {
    process.stdout.write(
      `Cancelled ${result.cancelled.length} task(s) (${result.targets.join(' ')}). ` +
        'A run stopped midway is interrupted and can be continued: ' +
        `denoise sweep --resume ${absolute}\n`,
    );
  }
  return EXIT.ok;
}
