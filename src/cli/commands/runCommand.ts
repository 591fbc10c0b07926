import { loadConfig, type LoadedConfig } from '../../core/config/loadConfig';
import { runExperiment, type RunOptions } from '../../core/experiment/runExperiment';
import type { TrainingEvent } from '../../core/training/events';
import { EXIT } from '../../app/exitCodes';
import { ProgressReporter } from '../progressReporter';
import { printSummary } from './summaryText';
import { toJsonLine } from './jsonOutput';

export interface RunCommandOptions {
  readonly set: string[];
  readonly json: boolean;
  readonly runsDir?: string;
  readonly engine?: string;
}

/** `denoise run CONFIG`: trains and evaluates one experiment; Ctrl+C stops after the current batch. */
export async function runCommand(configPath: string, options: RunCommandOptions): Promise<number> {
  const overrides = [...options.set, ...(options.engine ? [`compute.engine=${options.engine}`] : [])];
  const loaded = loadConfig(configPath, overrides);
  if (loaded.config.sweep && !options.json) {
    // A sweep's runs are started with --json; a person who ran the file by hand may have meant the sweep.
    process.stderr.write(
      `Note: this experiment has a sweep section; \`denoise run\` trains it once as written. \`denoise sweep ${configPath}\` runs the sweep.\n`,
    );
  }
  return runAndReport(loaded, { json: options.json, runsDir: options.runsDir });
}

/** Runs (or resumes) an experiment with a progress display or JSON lines; the exit code says how it ended. */
export async function runAndReport(
  loaded: LoadedConfig,
  options: { json: boolean } & Pick<RunOptions, 'runsDir' | 'resume'>,
): Promise<number> {
  const reporter = options.json ? undefined : new ProgressReporter();
  const onEvent = (event: TrainingEvent) => {
    if (options.json) process.stdout.write(toJsonLine(event));
    else reporter?.handle(event);
  };

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT.runFailed); // second Ctrl+C: leave at once
    process.stderr.write('\nStopping after the current batch (Ctrl+C again to quit at once)...\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const { summary } = await runExperiment(loaded, {
      onEvent,
      signal: controller.signal,
      runsDir: options.runsDir,
      resume: options.resume,
    });
    if (options.json) process.stdout.write(toJsonLine({ type: 'summary', ...summary }));
    else printSummary(summary);
    return summary.status === 'completed' || summary.status === 'earlyStopped' ? EXIT.ok : EXIT.runFailed;
  } finally {
    reporter?.stop();
    process.off('SIGINT', onSigint);
  }
}
