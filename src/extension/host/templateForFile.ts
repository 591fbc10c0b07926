import { applyEdits, modify } from 'jsonc-parser';

/** The experiment's name for a file: `my-first.denoise.json` is `my-first`. */
export function experimentNameOf(fileName: string): string {
  return fileName.replace(/\.denoise\.json$/, '');
}

/**
 * A template's text for the file the user named: its `name` becomes the file's, so the runs, the legend and
 * the tables say `my-first` rather than the template's name. jsonc-parser edits the one value and keeps
 * the template's layout and comments as they are.
 */
export function templateForFile(templateText: string, fileName: string): string {
  const edits = modify(templateText, ['name'], experimentNameOf(fileName), {
    formattingOptions: { insertSpaces: true, tabSize: 2 },
  });
  return applyEdits(templateText, edits);
}
