import type { HostToWebview } from '../../protocol/webviewMessages';
import type { RunUpdate } from './runService';

/**
 * The context keys that tick the walkthrough's steps (package.json's completionEvents are `onContext:` these):
 * a step ticks when its result is there, not when its command was merely invoked.
 */
export const WALKTHROUGH_KEYS = {
  newExperiment: 'denoiseLab.walkthrough.created',
  editExperiment: 'denoiseLab.walkthrough.edited',
  previewNoise: 'denoiseLab.walkthrough.previewed',
  runExperiment: 'denoiseLab.walkthrough.trained',
  compareRuns: 'denoiseLab.walkthrough.compared',
} as const;

/** The key a run update completes: a run that trained to its end (or early stopping). */
export function keyForRunUpdate(update: RunUpdate): string | undefined {
  return update.kind === 'ended' && (update.run.ending === 'completed' || update.run.ending === 'earlyStopped')
    ? WALKTHROUGH_KEYS.runExperiment
    : undefined;
}

/** The key a message to the pages completes: a drawn noise preview, a comparison of two runs or more. */
export function keyForPageMessage(message: HostToWebview): string | undefined {
  if (message.type === 'noisePreview') return WALKTHROUGH_KEYS.previewNoise;
  if (message.type === 'comparison' && message.runs.length >= 2) return WALKTHROUGH_KEYS.compareRuns;
  return undefined;
}
