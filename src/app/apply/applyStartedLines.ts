import type { ApplyEvent } from '../../core/apply/applyRun';

/** The log lines of an apply's start, as the CLI and the trainer (for the extension's output) print them. */
export function applyStartedLines(event: Extract<ApplyEvent, { type: 'started' }>): string[] {
  return [
    `Model: ${event.model} on ${event.inference}; tiles of ${event.tile} px with ${event.margin} px overlap`,
    `Memory: ${event.memory}`,
    ...(event.sigmaHint ? [`Noise level: ${event.sigmaHint}`] : []),
  ];
}
