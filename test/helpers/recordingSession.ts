import { WebviewSession } from '../../src/extension/host/webviewSession';
import type { WebviewToHost } from '../../src/protocol/webviewMessages';

/** A dashboard page session that records what it hands on and what it logs, for hostile-message tests. */
export function recordingSession(): { session: WebviewSession; handled: WebviewToHost[]; log: string[] } {
  const handled: WebviewToHost[] = [];
  const log: string[] = [];
  const session = new WebviewSession({ postMessage: async () => true }, 'dashboard', {
    initialMessages: () => [],
    handle: (m) => handled.push(m),
    log: (l) => log.push(l),
  });
  return { session, handled, log };
}
