/**
 * The results table as a file: CSV and GitHub Markdown, the same bytes whether the dashboard, a standalone
 * report or a sweep writes them. Cells carry the table's text (src/app/results/resultColumns.ts).
 */
import { RESULT_COLUMNS, type ResultRow } from './resultColumns';

/**
 * One CSV field. A text starting with = + - @ (or a tab or carriage return) would run as a formula in a
 * spreadsheet, so it gets a leading apostrophe; negative numbers stay numbers. A field with a comma,
 * quote or line break is quoted, quotes doubled (RFC 4180).
 */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV's columns: each table column, or the plain-number columns it has for a spreadsheet. */
const CSV_COLUMNS = RESULT_COLUMNS.flatMap((c) => c.csv ?? [{ title: c.title, text: c.text }]);

/**
 * Header and one line per row, LF line ends, a final line break; empty cells for absent values. Epochs and
 * time are bare numbers (epochs trained and configured, seconds), which a spreadsheet can add up.
 */
export function resultsCsv(rows: readonly ResultRow[]): string {
  const lines = [CSV_COLUMNS.map((c) => c.title), ...rows.map((r) => CSV_COLUMNS.map((c) => c.text(r)))];
  return lines.map((cells) => `${cells.map(csvField).join(',')}\n`).join('');
}

/** One Markdown table cell: a pipe would end the cell, a line break the row. */
export const markdownCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** A GitHub Markdown table, numeric columns right-aligned. */
export function resultsMarkdown(rows: readonly ResultRow[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(markdownCell).join(' | ')} |\n`;
  const rule = RESULT_COLUMNS.map((c) => (c.numeric ? '---:' : '---'));
  return [
    line(RESULT_COLUMNS.map((c) => c.title)),
    line(rule),
    ...rows.map((r) => line(RESULT_COLUMNS.map((c) => c.text(r)))),
  ].join('');
}

export type ExportFormat = 'csv' | 'markdown';

/** The file the Export buttons write, in VS Code and in a standalone report alike. */
export function resultsExport(rows: readonly ResultRow[], format: ExportFormat): { fileName: string; text: string } {
  return format === 'csv'
    ? { fileName: 'denoise-results.csv', text: resultsCsv(rows) }
    : { fileName: 'denoise-results.md', text: resultsMarkdown(rows) };
}
