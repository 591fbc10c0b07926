import type { HostToWebview, WebviewToHost } from '../../src/protocol/webviewMessages';

/**
 * What the dashboard asks the host after a message, so what it lists never goes stale: a run that starts
 * or ends changes the saved runs (the comparison's picker), and a finished run has generation images to show.
 * `listed` are the run folders the picker shows now; a comparison of runs it does not list asks again.
 */
export function followUpRequests(message: HostToWebview, listed: ReadonlySet<string>): WebviewToHost[] {
  switch (message.type) {
    case 'runStarted':
      return [{ type: 'requestRuns' }];
    case 'runEnded':
      return message.runDir
        ? [{ type: 'requestRuns' }, { type: 'requestGeneration', runDir: message.runDir }]
        : [{ type: 'requestRuns' }];
    case 'comparison':
      return message.runs.some((r) => !listed.has(r.row.runDir)) ? [{ type: 'requestRuns' }] : [];
    default:
      return [];
  }
}
