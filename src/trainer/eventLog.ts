import type { TrainingEvent } from '../core/training/events';
import { engineLine } from '../app/engineLabel';
import { epochLine } from '../app/epochLine';

/**
 * The trainer's text log: one line per event worth reading later, written to stderr. The extension shows
 * these lines in its output channel and, when a trainer crashes, the last of them in the error message.
 * Batches and sample images are left out: they are progress, not history.
 */
export function eventLogLine(event: TrainingEvent): string | undefined {
  switch (event.type) {
    case 'started':
      return [
        `Run ${event.runName} -> ${event.runDir}`,
        engineLine(event.engine),
        `Model: ${event.model}`,
        `Data: ${event.dataset}`,
      ].join('\n');
    case 'epoch':
      return epochLine(event);
    case 'log':
      return event.message;
    case 'failed':
      return `Failed: ${event.message}${event.hint ? `\n${event.hint}` : ''}`;
    case 'finished':
      return event.message;
    case 'batch':
    case 'samples':
      return undefined;
  }
}
