/** A standalone report's exports: the compared rows as a CSV or Markdown file the browser downloads. */
import type { RunRow, WebviewToHost } from '../../src/protocol/webviewMessages';
import { toCsv, toMarkdown } from '../comparison/resultsTable';

export function downloadExport(rows: () => readonly RunRow[]): (message: Extract<WebviewToHost, { type: 'exportResults' }>) => void {
  return (message) => {
    const chosen = rows().filter((r) => message.runDirs.includes(r.runDir));
    const csv = message.format === 'csv';
    const blob = new Blob([csv ? toCsv(chosen) : toMarkdown(chosen)], { type: csv ? 'text/csv' : 'text/markdown' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = csv ? 'results.csv' : 'results.md';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  };
}
