import type { ResumePoint } from './resumePoint';

/** What `denoise resume` (and the extension's log) says about the checkpoint a run continues from. */
export function describeResume(resume: ResumePoint, epochs: number, exact: boolean): string {
  const { checkpoint } = resume;
  if (!resume.modelDir) {
    return `Resuming from the start: the run was interrupted before its first checkpoint; epoch 1 of ${epochs} begins again in the same folder.`;
  }
  const saved = `the checkpoint saved ${checkpoint.savedAt}`;
  const where =
    checkpoint.batch > 0
      ? `Resuming in epoch ${checkpoint.epoch + 1} of ${epochs} after batch ${checkpoint.batch} of ${checkpoint.batchesPerEpoch ?? '?'}, from ${saved}`
      : `Resuming after epoch ${checkpoint.epoch} of ${epochs} from ${saved}`;
  return exact
    ? `${where}, with its optimizer state and random streams: it continues as if never interrupted.`
    : `${where}; that checkpoint holds only weights (an older version), so the optimizer restarts.`;
}
