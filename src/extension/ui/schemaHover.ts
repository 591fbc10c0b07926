import { readFileSync } from 'node:fs';
import { getLocation, parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import { defaultAndRange, schemaAt } from '../host/schemaHover';

/**
 * Adds a field's default and range to the hover over it in a *.denoise.json (VS Code's JSON hover shows only
 * the schema's description). The schema is the extension's own, read once.
 */
export function registerSchemaHover(schemaFile: string): vscode.Disposable {
  let schema: object | undefined;
  return vscode.languages.registerHoverProvider(
    { pattern: '**/*.denoise.json' },
    {
      provideHover(document, position) {
        schema ??= JSON.parse(readFileSync(schemaFile, 'utf8')) as object;
        const text = document.getText();
        const location = getLocation(text, document.offsetAt(position));
        const line = defaultAndRange(schemaAt(schema, location.path, parse(text)));
        return line ? new vscode.Hover(new vscode.MarkdownString(line)) : undefined;
      },
    },
  );
}
