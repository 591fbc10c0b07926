import * as vscode from 'vscode';

/**
 * PLACEHOLDER: the viewer branch (wip/viewer) replaces this file with the before/after view (swipe slider,
 * zoom, pan, error map); the coordinator keeps that version on merge. The signature is the agreed one. Until
 * then the denoised file opens in VS Code's own image preview.
 */
export function openBeforeAfterView(
  context: vscode.ExtensionContext,
  request: { title: string; noisyPath: string; denoisedPath: string; cleanPath?: string },
): void {
  void context;
  void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(request.denoisedPath), {
    preview: false,
  });
}
