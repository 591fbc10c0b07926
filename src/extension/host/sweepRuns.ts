import type { SweepPlan } from '../../core/sweep/expandSweep';
import {
  createSweepFolder,
  writeSweepResults,
  type SweepResultFiles,
  type SweepRunOutcome,
} from '../../app/sweep/sweepResults';
import type { Run, RunService } from './runService';

export interface SweepSubmission {
  /** The sweep folder that receives results.md, results.csv and sweep.json. */
  readonly folder: string;
  /** The runs the service accepted, in the sweep's order (started or queued). */
  readonly runs: readonly Run[];
  /** Resolves once every run has ended, with the table written. */
  readonly done: Promise<{ readonly outcomes: readonly SweepRunOutcome[]; readonly files: SweepResultFiles }>;
}

export interface SweepRequest {
  readonly plan: SweepPlan;
  /** Absolute runs folder: the runs go there, the sweep folder inside it. */
  readonly runsDir: string;
  /** The settings' overrides (engine, BLAS threads), after each run's own. */
  readonly settingsOverrides: readonly string[];
}

/**
 * Queues a sweep's runs in the extension's run service (its queue keeps denoiseLab.maxParallelRuns) and
 * writes the sweep's results table after each run ends and when all have ended, exactly as
 * `denoise sweep` does. A run the service refuses becomes a row with status badInput; the rest go on.
 */
export function submitSweep(service: RunService, request: SweepRequest): SweepSubmission {
  const { plan, runsDir } = request;
  const folder = createSweepFolder(runsDir, plan.name);
  const sweep = { name: plan.name, file: plan.file, total: plan.runs.length };
  const outcomes: SweepRunOutcome[] = [];
  const record = (outcome: SweepRunOutcome) => {
    outcomes.push(outcome);
    return writeSweepResults(folder, sweep, outcomes);
  };
  const accepted: Run[] = [];
  const waits: Promise<void>[] = [];
  for (const run of plan.runs) {
    const submitted = service.submit({
      configFile: plan.file,
      overrides: [...run.overrides, ...request.settingsOverrides],
      runsDir,
    });
    if (!submitted.ok) {
      record({
        index: run.index,
        label: run.label,
        status: submitted.reason === 'untrusted' ? 'cancelled' : 'badInput',
        message: submitted.message,
        config: run.config,
      });
      continue;
    }
    accepted.push(submitted.run);
    waits.push(
      service.whenEnded(submitted.run.id).then((ended) => {
        record({
          index: run.index,
          label: run.label,
          status: ended.ending ?? 'failed',
          runDir: ended.runDir,
          message: ended.ending === 'completed' ? undefined : ended.message,
          config: run.config,
        });
      }),
    );
  }
  const done = Promise.all(waits).then(() => ({
    outcomes: [...outcomes].sort((a, b) => a.index - b.index),
    files: writeSweepResults(folder, sweep, outcomes),
  }));
  return { folder, runs: accepted, done };
}
