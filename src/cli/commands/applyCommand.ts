import * as path from 'node:path';
import { MultiBar, Presets } from 'cli-progress';
import { ApplyCancelled, applyRun, type ApplyEvent } from '../../core/apply/applyRun';
import { EXIT } from '../../app/exitCodes';
import { toJsonLine } from './jsonOutput';
import { applyStartedLines } from '../../app/apply/applyStartedLines';

export interface ApplyCommandOptions {
  out: string;
  tile?: number;
  memoryMb?: number;
  sigma?: number;
  json: boolean;
}

/**
 * `denoise apply RUN INPUT... --out DIR`: a progress bar over each file's tiles (on a terminal) and one
 * line per written file on stderr; with --json, one JSON line per written file and a last one with all.
 */
export async function applyCommand(run: string, inputs: string[], options: ApplyCommandOptions): Promise<number> {
  const interactive = Boolean(process.stderr.isTTY) && !options.json;
  const bars = new MultiBar(
    {
      format: ' {bar} {percentage}% | {file} | tile {value}/{total}',
      hideCursor: true,
      clearOnComplete: true,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  let bar: ReturnType<MultiBar['create']> | undefined;
  let files = 0;
  const print = (line: string) => (interactive ? bars.log(`${line}\n`) : process.stderr.write(`${line}\n`));
  const onEvent = (event: ApplyEvent) => {
    if (event.type === 'started') {
      files = event.files;
      if (options.json) return;
      for (const line of applyStartedLines(event)) print(line);
    } else if (event.type === 'tile') {
      if (!interactive) return;
      if (event.done === 1 || !bar) {
        if (bar) bars.remove(bar);
        bar = bars.create(event.total, 0, { file: `${event.file + 1}/${files}` });
      }
      bar.update(event.done);
    } else {
      if (options.json) {
        process.stdout.write(toJsonLine(event));
        return;
      }
      const shown = (file: string) => path.relative(process.cwd(), file) || file;
      const size = `${event.width}x${event.height}  ${event.seconds.toFixed(1)} s`;
      const gray = event.grayAsRgb ? '  (RGB with three equal channels: denoised as gray, written as RGB)' : '';
      print(`${event.file + 1}/${files}  ${shown(event.input)} -> ${shown(event.output)}  ${size}${gray}`);
    }
  };
  // SIGTERM (a parent's Cancel) and SIGINT (Ctrl+C) stop at the next file instead of killing the process
  // wherever it is: the files written stay complete and no temporary file is left.
  const cancel = new AbortController();
  const onSignal = () => cancel.abort();
  process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
  try {
    const jobs = await applyRun(run, inputs, { ...options, signal: cancel.signal }, onEvent);
    if (options.json) process.stdout.write(toJsonLine({ type: 'done', outputs: jobs.map((j) => j.output) }));
  } catch (err) {
    if (!(err instanceof ApplyCancelled)) throw err;
    bars.stop();
    if (options.json)
      process.stdout.write(toJsonLine({ type: 'cancelled', written: err.written, notWritten: err.notWritten }));
    process.stderr.write(`Cancelled: ${err.written.length} of ${files} file(s) written, each complete.\n`);
    return EXIT.runFailed;
  } finally {
    bars.stop();
    process.off('SIGTERM', onSignal).off('SIGINT', onSignal);
  }
  return EXIT.ok;
}
