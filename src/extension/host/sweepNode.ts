import { basename } from 'node:path';
import type { RunListing } from '../../core/runs/listRuns';
import { groupBySweep, type SweepGroup } from '../../app/sweep/sweepGroups';

/** A row of the Runs view's saved part: a sweep with its runs, a run of no sweep, or a month of older rows. */
export type SavedRow =
  | { readonly kind: 'sweep'; readonly sweep: SweepGroup; readonly runs: readonly RunListing[] }
  | { readonly kind: 'saved'; readonly listing: RunListing }
  | { readonly kind: 'month'; readonly month: string; readonly rows: readonly SavedRow[]; readonly runs: number };

/**
 * Top rows shown one by one before older ones are grouped by month: VS Code takes about 0.6 ms to receive and
 * lay out each top row (the 1,000-run bench:runs-view, 801 rows), and a list of hundreds is not read anyway.
 */
export const RECENT_ROWS = 100;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "October 2026" for "2026-10", the label of a month of older rows. */
export function monthLabel(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return Number.isInteger(year) && m >= 1 && m <= 12 ? `${MONTHS[m - 1]} ${year}` : 'Undated';
}

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
  const recent = rows.slice(0, RECENT_ROWS).map((r) => r.row);
  const months = new Map<string, SavedRow[]>();
  for (const { at, row } of rows.slice(RECENT_ROWS)) {
    const month = /^\d{4}-\d{2}/.exec(at)?.[0] ?? 'undated';
    months.set(month, [...(months.get(month) ?? []), row]);
  }
  const count = (row: SavedRow) => (row.kind === 'sweep' ? row.runs.length : 1);
  return [
    ...recent,
    ...[...months].map(([month, grouped]) => ({
      kind: 'month' as const,
      month,
      rows: grouped,
      runs: grouped.reduce((n, row) => n + count(row), 0),
    })),
  ];
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
