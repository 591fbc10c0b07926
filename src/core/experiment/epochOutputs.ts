import { saveDenoiser } from '../models/modelStorage';
import { saveCheckpoint } from '../runs/checkpoint';
import { appendEpochRecord } from '../runs/metricsLog';
import { epochImagePath } from '../runs/runFiles';
import type { EpochRecord } from '../training/events';
import { writeRunningStatus, type ExperimentRun } from './experimentRun';
import { writeSampleGrid } from './sampleImages';

/**
 * What a run writes after each epoch: its metrics line, a checkpoint, status.json, and the sample images
 * (sent to the listener, and saved as a grid when output.epochImages asks for it).
 */
export function epochOutputs(run: ExperimentRun): (record: EpochRecord) => Promise<void> {
  const { runDir, config, baseDir } = run;
  return async (record) => {
    // Metrics first, then the checkpoint: a crash between the two leaves the checkpoint one epoch
    // behind the metrics, and resuming drops that epoch's line and trains it again.
    appendEpochRecord(runDir, record);
    await saveCheckpoint(runDir, record.epoch, baseDir, (dir) => saveDenoiser(run.denoiser, dir));
    writeRunningStatus(run, record.epoch);
    if (config.evaluation.sampleImages > 0 && run.clean.test.count > 0) {
      const images = run.samplesNow();
      run.emit({ type: 'samples', epoch: record.epoch, images });
      if (config.output.epochImages) writeSampleGrid(epochImagePath(runDir, record.epoch), images);
    }
  };
}
