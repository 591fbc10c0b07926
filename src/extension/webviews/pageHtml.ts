import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { escapeHtml } from '../../app/page/reportHtml';
import type { WebviewKind } from '../../protocol/webviewMessages';

/** Options for every Denoise Lab webview: scripts on, and only the extension's dist/ and media/ readable. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** Which built page to load (dist/<bundle>.js and .css), what its <body data-view> says, and its title. */
export interface WebviewPage {
  readonly bundle: 'webview' | 'beforeAfter';
  readonly view: string;
  readonly title: string;
}

/**
 * A Denoise Lab page (webview/, built by esbuild into dist/) under a strict Content Security Policy: no inline
 * script or style, the one script allowed by a fresh nonce, images only from the extension (the page draws on
 * canvases). The page builds itself inside <main id="app">.
 */
export function webviewPageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', `${page.bundle}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', `${page.bundle}.css`));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource}; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${style}" rel="stylesheet">
<title>${escapeHtml(page.title)}</title>
</head>
<body data-view="${escapeHtml(page.view)}">
<main id="app"></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/** The dashboard or reconstructions page (dist/webview.js). */
export function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: WebviewKind): string {
  const title = view === 'dashboard' ? 'Denoise Lab' : 'Reconstructions';
  return webviewPageHtml(webview, extensionUri, { bundle: 'webview', view, title });
}
