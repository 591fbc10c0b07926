import type { TrainerToHost } from '../protocol/trainerMessages';

/**
 * Sends a message to the extension host. Resolves once it is handed to the channel, so the final message
 * is out before the process exits; after the host has gone (channel closed) it is dropped quietly, since
 * nobody is left to read it and the run folder still records the outcome.
 */
export function sendToHost(message: TrainerToHost): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/** A line for the trainer's log, which the host shows in its output channel. */
export function logLine(text: string): void {
  process.stderr.write(`${text}\n`);
}
