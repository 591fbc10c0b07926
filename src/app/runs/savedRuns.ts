import { listRuns, type RunListing } from '../../core/runs/listRuns';

/**
 * The run folders of several runs folders, newest first by start time: what the Runs view, the dashboard's
 * run list and the commands that pick a run all read (a folder named twice is listed once).
 */
export function listSavedRuns(runsFolders: Iterable<string>): RunListing[] {
  const runs = [...new Set(runsFolders)].flatMap((folder) => listRuns(folder));
  return runs.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
}
