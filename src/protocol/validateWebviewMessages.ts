/**
 * Validators for both directions of the host ↔ webview channel (see webviewMessages.ts): the host checks
 * what a page asks for, the page checks what the host sends before drawing it.
 */
import { checkMessage, type Checked } from './checkMessage';
import type { HostToWebview, WebviewToHost } from './webviewMessages';
import { hostToWebview, webviewToHost } from './webviewValidators';

/** What a page accepts from the host. */
export function validateHostToWebview(value: unknown): Checked<HostToWebview> {
  return checkMessage(hostToWebview(), value);
}

/** What the host accepts from a page. Paths are only checked for shape here; handlers check they are known runs. */
export function validateWebviewToHost(value: unknown): Checked<WebviewToHost> {
  return checkMessage(webviewToHost(), value);
}
