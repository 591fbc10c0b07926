import { basename } from 'node:path';
import type { RunListing } from '../../core/runs/listRuns';
import { groupBySweep, type SweepGroup } from '../../app/sweep/sweepGroups';

/** A top row of the Runs view's saved part: a sweep with its runs, or a run of no sweep. */
export type SavedRow =
  | { readonly kind: 'sweep'; readonly sweep: SweepGroup; readonly runs: readonly RunListing[] }
  | { readonly kind: 'saved'; readonly listing: RunListing };

/**
 * The saved runs as the Runs view lists them: newest first, each sweep's runs under one sweep row placed
 * where its newest run would be (a sweep none of whose run folders is left is not shown).
 */
export function savedRows(saved: readonly RunListing[], sweeps: readonly SweepGroup[]): SavedRow[] {
  const grouped = groupBySweep(saved, sweeps);
  const newest = (runs: readonly RunListing[]) =>
    runs.reduce((latest, r) => ((r.startedAt ?? '') > latest ? (r.startedAt ?? '') : latest), '');
  const rows: { at: string; row: SavedRow }[] = [
    ...grouped.sweeps
      .filter((g) => g.runs.length > 0)
      .map(({ sweep, runs }) => ({ at: newest(runs), row: { kind: 'sweep', sweep, runs } as const })),
    ...grouped.loose.map((listing) => ({ at: listing.startedAt ?? '', row: { kind: 'saved', listing } as const })),
  ];
  // A stable sort: runs of the same time keep their order.
  rows.sort((a, b) => b.at.localeCompare(a.at));
  return rows.map((r) => r.row);
}

/** How a sweep's row in the Runs view reads: "3 of 3 runs · best 14.21 dB", with its file in the tooltip. */
export function sweepNodeLabel(
  sweep: SweepGroup,
  runs: readonly RunListing[],
): { label: string; description: string; tooltip: string; icon: string } {
  const psnrs = runs.flatMap((r) => {
    const p = r.summary?.metrics?.test.denoised.psnr;
    return p === undefined ? [] : [p];
  });
  const best = psnrs.length ? ` · best ${Math.max(...psnrs).toFixed(2)} dB` : '';
  const failed = sweep.failed ? ` · ${sweep.failed} did not complete` : '';
  const description = `${sweep.ended} of ${sweep.total} runs${best}${failed}`;
  const tooltip = [
    `Sweep ${sweep.name}: ${description}`,
    sweep.file && `From ${sweep.file}`,
    sweep.folder,
    'Compare Runs shows its parallel coordinates; Open Sweep Results its table.',
  ]
    .filter(Boolean)
    .join('\n');
  const icon = sweep.ended < sweep.total ? 'loading~spin' : sweep.failed ? 'warning' : 'layers';
  return { label: `Sweep ${sweep.name}`, description, tooltip, icon: runs.length ? icon : 'layers' };
}

/** A run's row under its sweep: its label in the sweep (the values it was given), or the user's name. */
export function sweepChildLabel(
  sweepName: string,
  entry: { readonly label: string } | undefined,
  listing: RunListing,
  fallback: string,
): string {
  const tags = listing.notes.tags?.length ? ` · ${listing.notes.tags.map((t) => `#${t}`).join(' ')}` : '';
  if (listing.notes.title) return `${listing.notes.title}${tags}`;
  // A sweep's label starts with the sweep's name, which the sweep's row already says.
  const label = entry?.label ?? '';
  const own = label.startsWith(`${sweepName} `) ? label.slice(sweepName.length + 1) : label;
  return own ? `${own}${tags}` : fallback || basename(listing.runDir);
}
