import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { WebviewKind } from '../../protocol/webviewMessages';

/** Options for every Denoise Lab webview: scripts on, and only the extension's dist/ and media/ readable. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/**
 * The placeholder page (dist/placeholder.js) under a strict Content Security Policy: no inline script or
 * style, the one script allowed by a fresh nonce, images only from the extension (the page draws on canvases).
 */
export function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: WebviewKind): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'placeholder.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'placeholder.css'));
  const title = view === 'dashboard' ? 'Denoise Lab' : 'Reconstructions';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource}; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${style}" rel="stylesheet">
<title>${title}</title>
</head>
<body data-view="${view}">
<header><h1>${title}</h1><p id="status" role="status">Connecting…</p></header>
<div id="actions"></div>
<section aria-labelledby="samples-title"><h2 id="samples-title">Reconstructions</h2><div id="samples" class="images">No run has reported sample images yet.</div></section>
<section aria-labelledby="preview-title" class="dashboard-only"><h2 id="preview-title">Noise preview</h2><div id="preview" class="images"></div></section>
<section aria-labelledby="runs-title"><h2 id="runs-title">Runs</h2><ul id="runs-live"></ul><ul id="runs-saved"></ul></section>
<p id="log" class="muted"></p>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
