import { engineLabel } from '../../app/engineLabel';
import { encodeSamples } from '../../app/page/encodeImages';
import { epochPoint } from '../../app/page/epochPoint';
import type { TrainingEvent } from '../../core/training/events';
import type { HostToWebview } from '../../protocol/webviewMessages';
import type { RunUpdate } from './runService';

function fromEvent(runId: string, event: TrainingEvent): HostToWebview | undefined {
  switch (event.type) {
    case 'started':
      return {
        type: 'runStarted',
        runId,
        runName: event.runName,
        runDir: event.runDir,
        engine: engineLabel(event.engine),
        model: event.model,
        dataset: event.dataset,
        epochs: event.epochs,
        batchesPerEpoch: event.batchesPerEpoch,
      };
    case 'batch':
      return { runId, ...event };
    case 'epoch':
      return {
        type: 'epoch',
        runId,
        ...epochPoint(event),
        epochs: event.epochs,
        etaSeconds: event.etaSeconds,
        samplesPerSecond: event.samplesPerSecond,
        best: event.best,
      };
    case 'samples':
      return { type: 'samples', runId, epoch: event.epoch, images: encodeSamples(event.images) };
    case 'log':
    case 'finished':
    case 'failed':
      // The run's ending reaches the page as runEnded, once, whatever way it ended.
      return undefined;
  }
}

/** What the dashboard and the side panel hear about a run. */
export function webviewUpdate(update: RunUpdate): HostToWebview | undefined {
  const { run } = update;
  switch (update.kind) {
    case 'queued':
      return { type: 'runQueued', runId: run.id, runName: run.name, configFile: run.configFile };
    case 'event':
      return fromEvent(run.id, update.event);
    case 'ended':
      return {
        type: 'runEnded',
        runId: run.id,
        runDir: run.runDir,
        ending: run.ending ?? 'failed',
        message: run.message ?? '',
      };
    case 'started':
    case 'stopping':
      return undefined;
  }
}
