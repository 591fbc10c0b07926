/**
 * Where the page's messages come from and go to, so that no view knows whether it runs inside VS Code
 * (a webview with acquireVsCodeApi) or in a standalone report (messages embedded in the HTML file).
 */
import type { WebviewToHost } from '../../src/protocol/webviewMessages';

export interface PageHost {
  /** Sends a request; a host that cannot carry it out (a static report) handles what it can locally. */
  post(message: WebviewToHost): void;
  /** Registers the one listener for raw (not yet validated) messages from the host. */
  listen(listener: (raw: unknown) => void): void;
  /** False in a static report: there is no one to stop a run or list other runs. */
  readonly live: boolean;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

/** The host inside VS Code: postMessage both ways. */
function vscodeHost(api: VsCodeApi): PageHost {
  return {
    live: true,
    post: (message) => api.postMessage(message),
    listen: (listener) => window.addEventListener('message', (event: MessageEvent) => listener(event.data)),
  };
}

/** Id of the element holding a standalone report's messages as JSON. */
export const EMBEDDED_MESSAGES_ID = 'denoise-messages';

/**
 * The host of a standalone report: answers `ready` with the messages embedded in the page (in order,
 * asynchronously, like a real host) and saves exports as downloads.
 */
function embeddedHost(
  messages: readonly unknown[],
  exportFile: (message: Extract<WebviewToHost, { type: 'exportResults' }>) => void,
): PageHost {
  let listener: (raw: unknown) => void = () => undefined;
  return {
    live: false,
    listen: (l) => {
      listener = l;
    },
    post: (message) => {
      if (message.type === 'ready') setTimeout(() => messages.forEach((m) => listener(m)), 0);
      else if (message.type === 'exportResults') exportFile(message);
      else if (message.type === 'reportError') console.error(message.message);
    },
  };
}

/** Reads the report's embedded messages; a page with none shows an empty dashboard. */
function embeddedMessages(): unknown[] {
  const text = document.getElementById(EMBEDDED_MESSAGES_ID)?.textContent ?? '[]';
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

export function connectPageHost(
  exportFile: (message: Extract<WebviewToHost, { type: 'exportResults' }>) => void,
): PageHost {
  return typeof acquireVsCodeApi === 'function'
    ? vscodeHost(acquireVsCodeApi())
    : embeddedHost(embeddedMessages(), exportFile);
}
