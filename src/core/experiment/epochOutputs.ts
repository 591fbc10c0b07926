import { appendEpochRecord } from '../runs/metricsLog';
import { epochImagePath } from '../runs/runFiles';
import type { EpochRecord } from '../training/events';
import { writeRunningStatus, type ExperimentRun } from './experimentRun';
import { writeSampleGrid } from './sampleImages';

/**
 * What a run writes after each epoch, before the trainer hands over its checkpoint (runCheckpoints.ts): its
 * metrics line, status.json, and the sample images (sent to the listener, and saved as a grid when
 * output.epochImages asks for it).
 */
export function epochOutputs(run: ExperimentRun): (record: EpochRecord) => Promise<void> {
  const { runDir, config } = run;
  return async (record) => {
    appendEpochRecord(runDir, record);
    writeRunningStatus(run, record.epoch);
    if (config.evaluation.sampleImages > 0 && run.clean.test.count > 0) {
      const images = run.samplesNow();
      run.emit({ type: 'samples', epoch: record.epoch, images });
      if (config.output.epochImages) writeSampleGrid(epochImagePath(runDir, record.epoch), images);
    }
  };
}
