import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { loadSweep, type SweepRun } from '../../core/sweep/expandSweep';
import { runPool } from '../../core/sweep/runPool';
import { createSweepFolder, SUCCESSFUL, writeSweepResults, type SweepRunOutcome } from '../../app/sweep/sweepResults';
import { EXIT } from '../../app/exitCodes';
import { formatDuration, formatLoss } from '../../app/format';
import { runChild } from '../sweep/childRun';
import { toJsonLine } from './jsonOutput';

export interface SweepCommandOptions {
  readonly set: string[];
  readonly json: boolean;
  readonly parallel?: number;
  readonly runsDir?: string;
}

/** The status a run gets from its child's exit when it wrote no summary (it refused its config, or crashed). */
function statusWithoutSummary(exitCode: number): string {
  return exitCode === EXIT.badInput ? 'badInput' : 'crashed';
}

/**
 * `denoise sweep CONFIG`: expands the experiment's sweep, trains its runs in child processes up to the
 * parallel limit (each with cores / parallel BLAS threads), and writes results.md, results.csv and
 * sweep.json into `<runs folder>/<name>-<time>/` after every run. The runs themselves go to the runs
 * folder like any run, so `denoise list` and the extension show them. A failed run is a row with its
 * status; the sweep goes on. Exit code 0 when every run completed, 1 when one did not, 2 for a bad sweep.
 */
export async function sweepCommand(configPath: string, options: SweepCommandOptions): Promise<number> {
  const plan = loadSweep(configPath, options.set);
  const parallel = options.parallel ?? plan.parallel;
  const runsDir = resolve(options.runsDir ?? resolve(plan.baseDir, plan.base.output.runsDir));
  const folder = createSweepFolder(runsDir, plan.name);
  const cores = availableParallelism();
  // Runs share the cores: BLAS threads per run = cores / parallel, unless the experiment fixes them.
  const threads = plan.base.compute.threads || Math.max(1, Math.floor(cores / parallel));
  const total = plan.runs.length;
  const say = (text: string) => (options.json ? undefined : process.stdout.write(`${text}\n`));
  const emit = (value: object) => (options.json ? process.stdout.write(toJsonLine(value)) : undefined);
  say(
    `Sweep ${plan.name}: ${total} run(s), ${Math.min(parallel, total)} at a time, ${threads} BLAS thread(s) each. Results: ${folder}`,
  );
  emit({
    type: 'sweepStarted',
    name: plan.name,
    folder,
    total,
    parallel,
    threads,
    runs: plan.runs.map((r) => ({ index: r.index, label: r.label })),
  });

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT.runFailed);
    process.stderr.write(
      '\nStopping the running runs after their current batch; no new run starts (Ctrl+C again to quit at once)...\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const outcomes: SweepRunOutcome[] = [];
  const cliPath = resolve(process.argv[1]);
  const runOne = async (run: SweepRun) => {
    const position = `[${run.index + 1}/${total}]`;
    say(`${position} started  ${run.label}`);
    emit({ type: 'sweepRunStarted', index: run.index, label: run.label });
    const result = await runChild({
      cliPath,
      configFile: plan.file,
      overrides: [...run.overrides, ...(plan.base.compute.threads ? [] : [`compute.threads=${threads}`])],
      runsDir,
      env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads) },
      signal: controller.signal,
    });
    const status = result.summary?.status ?? statusWithoutSummary(result.exitCode);
    const message =
      result.summary && SUCCESSFUL.has(status) ? undefined : (result.summary?.message ?? lastLines(result.stderrTail));
    const outcome: SweepRunOutcome = {
      index: run.index,
      label: run.label,
      status,
      runDir: result.runDir,
      message,
      config: run.config,
    };
    outcomes.push(outcome);
    writeSweepResults(folder, { name: plan.name, file: plan.file, total }, outcomes);
    const test = result.summary?.metrics?.test.denoised;
    const figures = test
      ? `  test MSE ${formatLoss(test.mse)}  PSNR ${test.psnr.toFixed(2)} dB  SSIM ${test.ssim.toFixed(3)}`
      : '';
    const time = result.summary ? `  ${formatDuration(result.summary.durationSeconds)}` : '';
    say(
      `${position} ${status.padEnd(8)} ${run.label}${figures}${time}${message ? `\n    ${message.replace(/\n/g, '\n    ')}` : ''}`,
    );
    emit({
      type: 'sweepRunEnded',
      index: run.index,
      label: run.label,
      status,
      runDir: result.runDir,
      message,
      exitCode: result.exitCode,
      test,
    });
  };
  try {
    await runPool(plan.runs, parallel, runOne, () => !controller.signal.aborted);
  } finally {
    process.off('SIGINT', onSigint);
  }
  for (const run of plan.runs) {
    if (!outcomes.some((o) => o.index === run.index)) {
      outcomes.push({
        index: run.index,
        label: run.label,
        status: 'cancelled',
        message: 'not started: the sweep was stopped',
        config: run.config,
      });
    }
  }
  const files = writeSweepResults(folder, { name: plan.name, file: plan.file, total }, outcomes);
  const failed = outcomes.filter((o) => !SUCCESSFUL.has(o.status)).length;
  say(
    `Sweep ${plan.name}: ${total - failed} of ${total} run(s) completed.\nResults: ${files.markdown}\n         ${files.csv}`,
  );
  emit({
    type: 'sweepSummary',
    name: plan.name,
    folder,
    total,
    failed,
    files,
    runs: [...outcomes].sort((a, b) => a.index - b.index).map(({ config: _config, ...rest }) => rest),
  });
  return failed === 0 ? EXIT.ok : EXIT.runFailed;
}

/** The end of a child's error output: its own message about what went wrong. */
function lastLines(text: string): string | undefined {
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  return lines.length ? lines.slice(-6).join('\n') : undefined;
}
