import { loadConfig } from '../core/config/loadConfig';
import { prepareResume } from '../core/experiment/resumePoint';
import { runExperiment } from '../core/experiment/runExperiment';
import { EXIT } from '../app/exitCodes';
import type { StartRequest, TrainerToHost } from '../protocol/trainerMessages';
import { BatchThrottle } from './batchThrottle';
import { ProgressFileWriter } from './progressFile';
import { eventLogLine } from './eventLog';
import { failureMessage } from './failure';

export interface RunRequestIo {
  readonly send: (message: TrainerToHost) => Promise<void> | void;
  readonly log: (line: string) => void;
  /** Aborted by a stop request or by the host going away: the run stops after its current batch. */
  readonly signal: AbortSignal;
}

/**
 * Runs one experiment for the host: forwards its events (batches throttled), then the summary, or an
 * error classified as bad input or a failed run. Returns the exit code, the same as `denoise run`'s.
 */
export async function runRequest(request: StartRequest, io: RunRequestIo): Promise<number> {
  const throttle = new BatchThrottle();
  const progress = new ProgressFileWriter();
  // A resumed run holds its folder's claim until it ends (runFolderClaim.ts); a new run has nothing to release.
  let release = () => {};
  try {
    const prepared = request.resumeRunDir ? prepareResume(request.resumeRunDir) : undefined;
    if (prepared) release = prepared.release;
    const loaded = prepared?.loaded ?? loadConfig(request.configFile, request.overrides);
    const resume = prepared?.resume;
    const { summary } = await runExperiment(loaded, {
      signal: io.signal,
      runsDir: request.runsDir,
      resume,
      onEvent: (event) => {
        const line = eventLogLine(event);
        if (line !== undefined) io.log(line);
        progress.record(event);
        if (throttle.shouldSend(event)) void io.send({ type: 'event', event });
      },
    });
    await io.send({ type: 'summary', summary });
    return summary.status === 'completed' || summary.status === 'earlyStopped' ? EXIT.ok : EXIT.runFailed;
  } catch (err) {
    const { exitCode, message } = failureMessage(err);
    // A bad input is explained by its message; anything else is a bug or an environment problem: keep the stack.
    io.log(exitCode === EXIT.badInput ? message.message : `Error: ${(err as Error).stack ?? message.message}`);
    await io.send(message);
    return exitCode;
  } finally {
    release();
  }
}
