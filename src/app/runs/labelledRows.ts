import { readRunConfig } from '../../core/runs/listRuns';
import type { RunRow } from '../../protocol/webviewMessages';
import { distinguishingLabels } from './runDistinctions';

/** The rows with labels that tell them apart among themselves (start time, differing config fields). */
export function labelledRows(rows: readonly RunRow[]): RunRow[] {
  const labels = distinguishingLabels(
    rows.map((r) => ({ runDir: r.runDir, name: r.name, startedAt: r.startedAt, config: readRunConfig(r.runDir) })),
  );
  return rows.map((r) => ({ ...r, label: labels.get(r.runDir) }));
}
