/**
 * Validators for both directions of the host ↔ webview channel (see webviewMessages.ts): the host checks
 * what a page asks for, the page checks what the host sends before drawing it.
 */
import { checkMessage, type Checked } from './checkMessage';
import { epochSamplesProblem } from './epochSamplesPacking';
import type { HostToWebview, WebviewToHost } from './webviewMessages';
import { hostToWebview, webviewToHost } from './webviewValidators';

/** What a page accepts from the host. */
export function validateHostToWebview(value: unknown): Checked<HostToWebview> {
  const checked = checkMessage<HostToWebview>(hostToWebview(), value);
  // The one relation between entries that the schema cannot state.
  const problem = checked.ok && checked.value.type === 'epochSamples' ? epochSamplesProblem(checked.value) : undefined;
  return problem ? { ok: false, reason: problem } : checked;
}

/** What the host accepts from a page. Paths are only checked for shape here; handlers check they are known runs. */
export function validateWebviewToHost(value: unknown): Checked<WebviewToHost> {
  return checkMessage(webviewToHost(), value);
}
