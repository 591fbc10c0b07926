import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors/inputError';

/** "2026-11-25T10-04-59" in local time: sorts by time and is a valid file name everywhere. */
export function timestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}-${pad(date.getMinutes())}-${pad(date.getSeconds())}`;
}

/**
 * Creates a new, empty run folder named after the time and the experiment. mkdir without `recursive`
 * fails if the folder exists, so two runs started in the same second never share a folder.
 */
export function createRunFolder(runsDir: string, name: string, now = new Date()): string {
  try {
    mkdirSync(runsDir, { recursive: true });
  } catch (err) {
    throw new InputError(
      `cannot create the runs folder ${runsDir}: ${(err as Error).message}; set output.runsDir (or --runs-dir, ` +
        'or the denoiseLab.runsFolder setting) to a folder you can write to',
    );
  }
  const base = `${timestamp(now)}-${name}`;
  for (let i = 1; i < 1000; i++) {
    const dir = join(runsDir, i === 1 ? base : `${base}-${i}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new InputError(
          `cannot create a run folder in ${runsDir}: ${(err as Error).message}; check that the runs folder is writable`,
        );
      }
    }
  }
  throw new Error(`could not create a new run folder in ${runsDir}`);
}
