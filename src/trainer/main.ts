/**
 * The trainer child process (bundled to dist/trainer.js). The extension forks one per run with VS Code's
 * own runtime and talks to it over IPC (src/protocol/trainerMessages.ts). TensorFlow.js is loaded here and
 * never in the extension host, so training cannot stall the editor.
 */
import { EXIT } from '../app/exitCodes';
import { validateHostToTrainer } from '../protocol/validateTrainerMessages';
import { applyRequest } from './applyRequest';
import { logLine, sendToHost } from './ipc';
import { previewRequest } from './previewRequest';
import { runRequest } from './runRequest';

if (!process.send) {
  process.stderr.write('dist/trainer.js is started by the Denoise Lab extension; on a command line use bin/denoise.\n');
  process.exit(EXIT.badInput);
}

const stop = new AbortController();
let busy = false;
let applying = false;

function finish(work: Promise<number>): void {
  work.then(
    (code) => process.exit(code),
    (err: unknown) => {
      logLine(`Error: ${(err as Error).stack ?? String(err)}`);
      process.exit(EXIT.runFailed);
    },
  );
}

process.on('message', (raw: unknown) => {
  const checked = validateHostToTrainer(raw);
  if (!checked.ok) {
    logLine(`Ignored a malformed message from the extension: ${checked.reason}`);
    return;
  }
  const message = checked.value;
  if (message.type === 'stop') {
    // Messages are handled between batches (training yields after each), so the batch is already done.
    // An apply is not stopped this way: the host cancels it by ending the process (nothing is half-written).
    if (!stop.signal.aborted) {
      stop.abort('by the user');
      logLine('Stop requested: finishing after this batch and writing the results.');
      void sendToHost({ type: 'stopping' });
    }
    return;
  }
  if (busy) {
    logLine(`Ignored a second "${message.type}" request: a trainer handles one.`);
    return;
  }
  busy = true;
  if (message.type === 'start') finish(runRequest(message, { send: sendToHost, log: logLine, signal: stop.signal }));
  else if (message.type === 'apply') {
    applying = true;
    finish(applyRequest(message, { send: sendToHost, log: logLine }));
  } else finish(previewRequest(message, sendToHost));
});

// The extension host went away (window reloaded or closed): a run goes on and keeps writing its folder,
// where a window that opens finds it (status.json names this process) and reattaches. Nothing reads the
// pipes any more, so a failed write to them is ignored rather than ending the run.
process.on('disconnect', () => {
  if (!busy) process.exit(EXIT.runFailed);
});
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

// A reattached window stops the run with SIGINT, as Ctrl+C stops `denoise run`; anything else that ends
// the trainer politely is named in the run's status.
const stoppedBy: Partial<Record<NodeJS.Signals, string>> = {
  SIGINT: 'by the user',
  SIGTERM: 'by SIGTERM (the system or another program)',
  SIGHUP: 'by SIGHUP (its terminal closed)',
};
for (const [signal, reason] of Object.entries(stoppedBy)) {
  process.on(signal, () => {
    // An apply has no results to finish writing (each output is renamed into place whole): it ends at once,
    // and its progress record, still "running" with this process gone, tells a window it did not finish.
    if (!busy || applying) process.exit(EXIT.runFailed);
    if (stop.signal.aborted) return;
    stop.abort(reason);
    logLine(`Stopped ${reason}: finishing after this batch and writing the results.`);
    void sendToHost({ type: 'stopping' });
  });
}
