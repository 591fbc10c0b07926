/** A standalone report's exports: the compared rows as the file the browser downloads. */
import { resultsExport } from '../../src/app/results/resultExports';
import type { RunRow, WebviewToHost } from '../../src/protocol/webviewMessages';

export function downloadExport(
  rows: () => readonly RunRow[],
): (message: Extract<WebviewToHost, { type: 'exportResults' }>) => void {
  return (message) => {
    const chosen = rows().filter((r) => message.runDirs.includes(r.runDir));
    const file = resultsExport(chosen, message.format);
    const blob = new Blob([file.text], { type: message.format === 'csv' ? 'text/csv' : 'text/markdown' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = file.fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  };
}
