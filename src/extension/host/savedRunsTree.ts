import { readRunConfig, type RunListing } from '../../core/runs/listRuns';
import { distinguishingLabels } from '../../app/runs/runDistinctions';
import { listSweeps } from '../../app/sweep/sweepGroups';
import { savedRows, type SavedRow } from './sweepNode';

/** The saved part of the Runs view: its top rows (sweeps and loose runs) and each run's label. */
export interface SavedRunsTree {
  readonly rows: SavedRow[];
  /** Labels telling runs of the same name apart (start time, differing config fields), by run folder. */
  readonly labels: Map<string, string>;
}

/**
 * Everything the Runs view reads from disk for its saved runs, apart from VS Code (so the load bench times
 * what a refresh of the view costs): the runs' labels from their configs and the sweeps' grouping.
 */
export function savedRunsTree(saved: readonly RunListing[], runsFolders: readonly string[]): SavedRunsTree {
  const labels = distinguishingLabels(
    saved.map((l) => ({
      runDir: l.runDir,
      name: l.name,
      startedAt: l.startedAt,
      title: l.notes.title,
      tags: l.notes.tags,
      config: readRunConfig(l.runDir),
    })),
  );
  return { rows: savedRows(saved, listSweeps(runsFolders)), labels };
}
