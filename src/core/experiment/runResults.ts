import { saveDenoiser } from '../models/modelStorage';
import { runFile } from '../runs/runFiles';
import type { RunSummary } from '../runs/runSummary';
import { buildRunSummary, summarySubjectOf, type SavedResults, type SummarySubject } from './buildRunSummary';
import type { ExperimentRun } from './experimentRun';
import { compareOnTest, evaluateAllSplits } from './finalEvaluation';
import { writeRunArtifacts } from './runArtifacts';
import type { TrainingEnded } from './trainRun';

/**
 * Saves what the run produced (sample and generation grids, the model, the final evaluation) and returns its
 * summary; frees the model. When saving fails (disk full, read-only folder) the summary records that.
 */
export async function finishRun(run: ExperimentRun, ended: TrainingEnded): Promise<RunSummary> {
  const subject = summarySubjectOf(run, run.clean.name);
  try {
    return await savedRunSummary(run, ended, subject);
  } catch (err) {
    const message = `Training ended but its results could not be saved: ${(err as Error).message}`;
    run.emit({ type: 'failed', reason: 'error', message, runDir: run.runDir });
    return buildRunSummary(subject, { ...ended, status: 'failed', message }, new Date());
  } finally {
    run.denoiser.model.dispose();
  }
}

async function savedRunSummary(run: ExperimentRun, ended: TrainingEnded, subject: SummarySubject): Promise<RunSummary> {
  const { config, denoiser, data, runDir } = run;
  const { result } = ended;
  const lastEpoch = result?.epochs.at(-1) ?? run.history.at(-1);
  const trained = lastEpoch !== undefined;
  if (trained) writeRunArtifacts(runDir, denoiser, config, run.samplesNow);
  if (trained && config.output.saveModel) await saveDenoiser(denoiser, runFile(runDir, 'model'));
  const comparison = trained ? await compareOnTest(denoiser, data, config) : undefined;
  // The run's duration ends here; the metrics of every split below are not counted in it.
  const finishedAt = new Date();
  const saved: SavedResults = {
    ...(result ? { trainingSteps: result.steps } : {}),
    finalTrainLoss: lastEpoch?.trainLoss,
    finalValLoss: lastEpoch?.valLoss,
    metrics: trained ? evaluateAllSplits(denoiser, data, config) : undefined,
    ...(comparison?.readability ? { readability: comparison.readability } : {}),
    ...(comparison ? { comparison: comparison.rows } : {}),
  };
  return buildRunSummary(subject, ended, finishedAt, saved);
}
