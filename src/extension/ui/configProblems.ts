import * as vscode from 'vscode';
import { configDiagnostics } from '../host/configDiagnostics';

const SOURCE = 'Denoise Lab';
const isExperiment = (document: vscode.TextDocument) => document.uri.path.endsWith('.denoise.json');

/**
 * Red squiggles with the command line's own messages on every open *.denoise.json, as the user types (the
 * JSON schema's are warnings, and know no "did you mean"), and a quick fix for each near miss.
 */
export function registerConfigProblems(): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('denoiseLab');
  const fixes = new WeakMap<vscode.Diagnostic, { title: string; text: string }>();
  const check = (document: vscode.TextDocument) => {
    if (!isExperiment(document)) return;
    const text = document.getText();
    collection.set(
      document.uri,
      configDiagnostics(text).map((d) => {
        const range = new vscode.Range(document.positionAt(d.offset), document.positionAt(d.offset + d.length));
        const diagnostic = new vscode.Diagnostic(range, d.message, vscode.DiagnosticSeverity.Error);
        diagnostic.source = SOURCE;
        if (d.fix) fixes.set(diagnostic, d.fix);
        return diagnostic;
      }),
    );
  };
  vscode.workspace.textDocuments.forEach(check);
  const actions: vscode.CodeActionProvider = {
    provideCodeActions: (document, _range, context) =>
      context.diagnostics.flatMap((diagnostic) => {
        const fix = fixes.get(diagnostic);
        if (!fix) return [];
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, diagnostic.range, fix.text);
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        return [action];
      }),
  };
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => check(e.document)),
    vscode.workspace.onDidCloseTextDocument((document) => collection.delete(document.uri)),
    vscode.languages.registerCodeActionsProvider({ pattern: '**/*.denoise.json' }, actions, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
  );
}
