/**
 * One standalone HTML file: the Denoise Lab page's script and stylesheet inline, and the run's messages
 * embedded as JSON, so it opens in any browser from disk with no server and loads nothing from anywhere.
 */
import { randomBytes } from 'node:crypto';
import type { HostToWebview } from '../../protocol/webviewMessages';

export type ReportTheme = 'dark' | 'light' | 'auto';

export interface ReportParts {
  readonly title: string;
  readonly subtitle: string;
  readonly messages: readonly HostToWebview[];
  /** dist/webview.js and dist/webview.css. */
  readonly script: string;
  readonly style: string;
  readonly theme: ReportTheme;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/**
 * JSON that cannot end the <script> element it sits in: every "<" is written as \u003c (and the two line
 * separators JavaScript once refused), which JSON.parse reads back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Inline code cannot contain "</script" or "</style" (either would end its element early), and loses its
 * source map comment: the map is not in the report, so a browser's developer tools would look for it in vain.
 */
function inline(code: string, element: 'script' | 'style'): string {
  return code
    .replace(/\n?(\/\/# sourceMappingURL=\S+|\/\*# sourceMappingURL=\S+ \*\/)\s*$/, '')
    .replace(new RegExp(`</(${element})`, 'gi'), '<\\/$1');
}

export function reportHtml(parts: ReportParts): string {
  const nonce = randomBytes(16).toString('base64');
  const themeClass = parts.theme === 'auto' ? '' : ` vscode-${parts.theme}`;
  // Same rules as inside VS Code: nothing loads from anywhere; only this file's nonce-ed script and style run.
  const csp = `default-src 'none'; img-src data: blob:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(parts.title)}</title>
<style nonce="${nonce}">${inline(parts.style, 'style')}</style>
</head>
<body class="standalone${themeClass}" data-view="dashboard">
<header class="report-header"><h1>${escapeHtml(parts.title)}</h1><p class="muted">${escapeHtml(parts.subtitle)}</p></header>
<main id="app"></main>
<script id="denoise-messages" type="application/json">${jsonForScript(parts.messages)}</script>
<script nonce="${nonce}">${inline(parts.script, 'script')}</script>
</body>
</html>
`;
}
