import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { RunSummary } from '../../core/runs/runSummary';
import { EXIT } from '../../app/exitCodes';

export interface ChildRunResult {
  readonly exitCode: number;
  readonly runDir?: string;
  readonly summary?: RunSummary;
  /** The child's last lines on stderr (its error message when it refused the config). */
  readonly stderrTail: string;
}

export interface ChildRunOptions {
  /** The denoise command line script (bin/denoise or dist/cli.js). */
  readonly cliPath: string;
  readonly configFile: string;
  readonly overrides: readonly string[];
  readonly runsDir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Called with the run folder as soon as the child has made it. */
  readonly onStarted?: (runDir: string) => void;
  /** Aborting asks the child to stop after its current batch (SIGINT), as Ctrl+C does for `denoise run`. */
  readonly signal?: AbortSignal;
}

/**
 * `denoise run CONFIG --json --set ...` in a child process: one run of a sweep with its own memory and
 * BLAS threads, so runs go in parallel and a crash ends only that run. Reads its JSON lines for the run
 * folder and the final summary.
 */
export function runChild(options: ChildRunOptions): Promise<ChildRunResult> {
  const args = [
    options.cliPath,
    'run',
    options.configFile,
    '--json',
    '--runs-dir',
    options.runsDir,
    ...options.overrides.flatMap((o) => ['--set', o]),
  ];
  // Its own process group: a terminal's Ctrl+C reaches the sweep, which passes on exactly one SIGINT.
  const child = spawn(process.execPath, args, {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  let runDir: string | undefined;
  let summary: RunSummary | undefined;
  let stderr = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    try {
      const event = JSON.parse(line) as { type?: string; runDir?: string };
      if (event.type === 'started' && event.runDir) {
        runDir = event.runDir;
        options.onStarted?.(runDir);
      } else if (event.type === 'summary') summary = event as unknown as RunSummary;
    } catch {
      // A line that is not JSON (a library's console output): not ours to read.
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = () => child.kill('SIGINT');
  options.signal?.addEventListener('abort', stop, { once: true });
  return new Promise((resolve) => {
    child.on('error', (err) => {
      stderr += `\n${err.message}`;
    });
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', stop);
      const exitCode = code ?? (signal ? EXIT.runFailed : EXIT.ok);
      resolve({ exitCode, runDir: summary?.runDir ?? runDir, summary, stderrTail: stderr.trim() });
    });
  });
}
