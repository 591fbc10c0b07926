/**
 * How numbers and durations read in the terminal, the editor and the page. Pure text, no Node or DOM, so
 * the page can use it too.
 */

/** What a figure that is not known reads as. */
export const ABSENT = '–';

/** "42s", "2m05s", "3h07m": short enough for a status bar, a tree item or a narrow table column. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return ABSENT;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A loss in a terminal line: four decimals, or an exponent below 0.01; "-" when absent. */
export function formatLoss(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '-' : x < 0.01 ? x.toExponential(2) : x.toFixed(4);
}

/** A configured number as typed: 0.01, 1, 0.002 (no float noise such as 0.30000000000000004). */
export function formatSetting(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** Left-aligned columns separated by two spaces; numbers are expected pre-formatted. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A training speed with thousands separated, no decimals: "8,512". */
export function formatRate(samplesPerSecond: number): string {
  return Math.round(samplesPerSecond).toLocaleString('en-US');
}
