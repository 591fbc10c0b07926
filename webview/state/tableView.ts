import { RESULT_COLUMNS, type ResultColumn, type ResultRow } from '../../src/app/results/resultColumns';

/**
 * The columns the dashboard shows until the user asks for all: what tells runs apart and how they did, so
 * a panel beside an editor shows the results without scrolling sideways. The exports keep every column.
 */
const ESSENTIAL = ['name', 'status', 'learningRate', 'epochs', 'testPsnr', 'testSsim', 'readability', 'time'];

export function visibleColumns(all: boolean): readonly ResultColumn[] {
  return all ? RESULT_COLUMNS : RESULT_COLUMNS.filter((c) => ESSENTIAL.includes(c.key));
}

/** The rows whose cells contain every word of `filter` (case-insensitive), in any column. */
export function filterRows<Row extends ResultRow>(rows: readonly Row[], filter: string): Row[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const text = RESULT_COLUMNS.map((c) => c.text(row))
      .join(' ')
      .toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
