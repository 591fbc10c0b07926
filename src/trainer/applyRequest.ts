import * as path from 'node:path';
import { applyRun, type ApplyEvent } from '../core/apply/applyRun';
import { EXIT } from '../app/exitCodes';
import type { ApplyRequest, TrainerToHost } from '../protocol/trainerMessages';
import { ApplyProgressWriter } from './applyProgressFile';
import { failureMessage } from './failure';
import { applyStartedLines } from '../app/apply/applyStartedLines';

export interface ApplyRequestIo {
  readonly send: (message: TrainerToHost) => Promise<void> | void;
  readonly log: (line: string) => void;
  /** The clock the tile throttle reads; a parameter so tests can drive it. */
  readonly now?: () => number;
}

/** Tiles the host is told of at most this often (the last tile of each file always): a progress bar's worth. */
const TILE_INTERVAL_MS = 100;

/**
 * Denoises image files for the host with a run's model, as `denoise apply` does (src/core/apply/applyRun.ts
 * checks every file before writing any, and writes each output under a temporary name, then renames it):
 * forwards its events, tiles throttled, then `done` with the files written, or an error classified as bad
 * input or a failure. Returns the exit code, the same as `denoise apply`'s.
 */
export async function applyRequest(request: ApplyRequest, io: ApplyRequestIo): Promise<number> {
  const now = io.now ?? (() => performance.now());
  const progress = new ApplyProgressWriter(request);
  let lastTile = Number.NEGATIVE_INFINITY;
  const onEvent = (event: ApplyEvent) => {
    progress.event(event);
    if (event.type === 'tile' && event.done !== event.total) {
      if (now() - lastTile < TILE_INTERVAL_MS) return;
      lastTile = now();
    }
    if (event.type === 'started') {
      for (const line of applyStartedLines(event)) io.log(line);
    }
    if (event.type === 'file')
      io.log(
        `${event.file + 1}  ${event.input} -> ${event.output}  ${event.width}x${event.height}` +
          (event.grayAsRgb ? '  (RGB with three equal channels: denoised as gray, written as RGB)' : ''),
      );
    void io.send({ type: 'applyEvent', event });
  };
  try {
    const jobs = await applyRun(
      request.runDir,
      request.inputs,
      { out: path.resolve(request.out), tile: request.tile, memoryMb: request.memoryMb, sigma: request.sigma },
      onEvent,
    );
    progress.ended('done');
    await io.send({ type: 'applyEvent', event: { type: 'done', outputs: jobs.map((j) => j.output) } });
    return EXIT.ok;
  } catch (err) {
    const { exitCode, message } = failureMessage(err);
    io.log(exitCode === EXIT.badInput ? message.message : `Error: ${(err as Error).stack ?? message.message}`);
    progress.ended('failed', { message: message.message, failure: message.failure });
    await io.send(message);
    return exitCode;
  }
}
