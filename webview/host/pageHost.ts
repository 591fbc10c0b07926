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
  /** Whether asking for the runs' images after an epoch gets an answer (VS Code, or a report that embeds them). */
  readonly epochImages: boolean;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

/** The host inside VS Code: postMessage both ways. */
function vscodeHost(api: VsCodeApi): PageHost {
  return {
    live: true,
    epochImages: true,
    post: (message) => api.postMessage(message),
    listen: (listener) => window.addEventListener('message', (event: MessageEvent) => listener(event.data)),
  };
}

/** Id of the element holding a standalone report's messages as JSON. */
export const EMBEDDED_MESSAGES_ID = 'denoise-messages';

const epochOf = (m: unknown) =>
  (m as { type?: unknown })?.type === 'epochSamples' ? (m as { epoch?: unknown }).epoch : undefined;

/**
 * The host of a standalone report: answers `ready` with the messages embedded in the page (in order,
 * asynchronously, like a real host) and saves exports as downloads. The embedded `epochSamples` messages are
 * kept back and each sent when the epoch slider asks for its epoch, as VS Code's host would answer.
 */
function embeddedHost(
  embedded: readonly unknown[],
  exportFile: (message: Extract<WebviewToHost, { type: 'exportResults' }>) => void,
): PageHost {
  let listener: (raw: unknown) => void = () => undefined;
  const byEpoch = new Map<unknown, unknown>();
  for (const m of embedded) if (epochOf(m) !== undefined) byEpoch.set(epochOf(m), m);
  const messages = embedded.filter((m) => epochOf(m) === undefined);
  return {
    live: false,
    epochImages: byEpoch.size > 0,
    listen: (l) => {
      listener = l;
    },
    post: (message) => {
      if (message.type === 'ready') setTimeout(() => messages.forEach((m) => listener(m)), 0);
      else if (message.type === 'requestEpochSamples') {
        const answer = byEpoch.get(message.epoch) ?? {
          type: 'epochSamples',
          epoch: message.epoch,
          inputs: [],
          runs: [],
        };
        setTimeout(() => listener(answer), 0);
      } else if (message.type === 'exportResults') exportFile(message);
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
