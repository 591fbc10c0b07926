/** Every message from the host passes here before anything is drawn from it. */
import { validateHostToWebview } from '../src/protocol/validateWebviewMessages';
import type { HostToWebview, WebviewToHost } from '../src/protocol/webviewMessages';

/**
 * Validates a raw message; a rejected one is reported back to the host (so it reaches the output
 * channel) and dropped.
 */
export function acceptMessage(raw: unknown, report: (message: WebviewToHost) => void): HostToWebview | undefined {
  const checked = validateHostToWebview(raw);
  if (checked.ok) return checked.value;
  report({ type: 'reportError', message: `The page rejected a message: ${checked.reason}` });
  return undefined;
}
