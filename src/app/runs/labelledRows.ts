import { readRunConfig } from '../../core/runs/listRuns';
import type { RunRow } from '../../protocol/webviewMessages';
import { distinguishingLabels, varyingParams } from './runDistinctions';

/**
 * The rows with labels that tell them apart among themselves (the user's name or start time and differing
 * config fields, then tags); with `params`, each row also carries the config fields that differ among them
 * all (the axes of the parallel-coordinates view of a sweep).
 */
export function labelledRows(rows: readonly RunRow[], options: { params?: boolean } = {}): RunRow[] {
  const runs = rows.map((r) => ({
    runDir: r.runDir,
    name: r.name,
    startedAt: r.startedAt,
    title: r.title,
    tags: r.tags,
    config: readRunConfig(r.runDir),
  }));
  const labels = distinguishingLabels(runs);
  const params = options.params ? varyingParams(runs) : undefined;
  return rows.map((r) => ({
    ...r,
    label: labels.get(r.runDir),
    ...(params ? { params: params.get(r.runDir)?.map((p) => ({ ...p })) } : {}),
  }));
}
