import { existsSync, rmSync } from 'node:fs';
import { describeRun } from '../../core/runs/listRuns';
import { runFile } from '../../core/runs/runFiles';

/**
 * Deletes a run folder after the user confirmed it: only a Denoise Lab run folder (it has config.json),
 * and never one whose trainer is still training in it. Returns why it refused, or undefined when deleted.
 */
export function deleteRunFolder(runDir: string): string | undefined {
  if (!existsSync(runFile(runDir, 'config')))
    return `${runDir} is not a Denoise Lab run folder (no config.json); nothing was deleted.`;
  if (describeRun(runDir).status === 'running') return `${runDir} is still training; stop the run first.`;
  rmSync(runDir, { recursive: true, force: true });
  return undefined;
}
