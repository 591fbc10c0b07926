import { loadConfig } from '../../core/config/loadConfig';
import { runExperiment } from '../../core/experiment/runExperiment';
import type { TrainingEvent } from '../../core/training/events';
import { EXIT } from '../exitCodes';
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
    const { summary } = await runExperiment(loaded, { onEvent, signal: controller.signal, runsDir: options.runsDir });
    if (options.json) process.stdout.write(toJsonLine({ type: 'summary', ...summary }));
    else printSummary(summary);
    return summary.status === 'completed' || summary.status === 'earlyStopped' ? EXIT.ok : EXIT.runFailed;
  } finally {
    reporter?.stop();
    process.off('SIGINT', onSigint);
  }
}
