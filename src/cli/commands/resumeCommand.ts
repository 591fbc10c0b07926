import { prepareResume } from '../../core/experiment/resumePoint';
import { runAndReport } from './runCommand';

/**
 * `denoise resume RUN`: continues an interrupted run (its process was killed, the machine went down) from
 * the checkpoint saved after its last finished epoch, in the same folder, appending to its metrics.jsonl.
 */
export async function resumeCommand(runFolder: string, options: { json: boolean }): Promise<number> {
  const { loaded, resume, release } = prepareResume(runFolder);
  try {
    return await runAndReport(loaded, { json: options.json, resume });
  } finally {
    release();
  }
}
