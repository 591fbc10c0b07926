import { resultRow } from '../../core/results/resultsTable';
import type { RunListing } from '../../core/runs/listRuns';
import type { RunRow } from '../../protocol/webviewMessages';

/**
 * A run folder as one row of the run list and the dashboard: the results table's row (one reading of a run
 * folder for the CLI, the export and the pages) with the run's start time.
 */
export function runRow(listing: RunListing): RunRow {
  const { layers: _layers, codeSize: _codeSize, readability: _readability, ...row } = resultRow(listing);
  return { ...row, status: listing.status, startedAt: listing.startedAt };
}
