// The results table is core code shared with the `denoise sweep` command; the extension uses it from there.
export { resultRow, resultsCsv, resultsMarkdown, type ResultRow } from '../../core/results/resultsTable';
