import { saveDenoiser } from '../models/modelStorage';
import { saveCheckpoint } from '../runs/checkpoint';
import { writeTrainingState } from '../runs/trainingStateFile';
import type { CheckpointSink } from '../training/trainingState';
import type { ExperimentRun } from './experimentRun';

/**
 * Where the trainer's checkpoints go in the run folder: the model and its training state in one folder,
 * committed by checkpoint/state.json, the output.checkpointsKept newest kept. Within an epoch one is due
 * output.checkpointMinutes after the last one (or after the session began); 0 takes them at epoch ends only.
 */
export function runCheckpoints(
  run: Pick<ExperimentRun, 'runDir' | 'baseDir' | 'config' | 'denoiser'>,
  now: () => number = Date.now,
): CheckpointSink {
  const { runDir, baseDir, config } = run;
  const interval = config.output.checkpointMinutes * 60_000;
  let last = now();
  return {
    due: () => interval > 0 && now() - last >= interval,
    async save(state) {
      const at = { epoch: state.epochsDone, batch: state.batchesDone, batchesPerEpoch: state.batchesPerEpoch };
      await saveCheckpoint(
        runDir,
        at,
        baseDir,
        async (dir) => {
          await saveDenoiser(run.denoiser, dir);
          writeTrainingState(dir, state);
        },
        config.output.checkpointsKept,
      );
      last = now();
    },
  };
}
