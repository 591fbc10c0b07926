import { MultiBar, Presets } from 'cli-progress';
import type { TrainingEvent } from '../core/training/events';
import { engineLine } from '../app/engineLabel';
import { epochLine } from '../app/epochLine';
import { formatDuration, formatLoss } from '../app/format';

/**
 * Shows a run's events in the terminal: a progress bar with loss, speed and ETA (only on a terminal),
 * and one line per epoch that stays in the scroll-back.
 */
export class ProgressReporter {
  private readonly bars = new MultiBar(
    {
      format: ' {bar} {percentage}% | epoch {epoch}/{epochs} | loss {loss} | {speed} samples/s | ETA {eta}',
      hideCursor: true,
      clearOnComplete: true,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  private bar: ReturnType<MultiBar['create']> | undefined;
  private epochs = 0;
  private readonly interactive = Boolean(process.stderr.isTTY);

  private print(line: string): void {
    if (this.interactive) this.bars.log(`${line}\n`);
    else process.stderr.write(`${line}\n`);
  }

  handle(event: TrainingEvent): void {
    switch (event.type) {
      case 'started':
        this.epochs = event.epochs;
        this.print(`Run ${event.runName} -> ${event.runDir}`);
        this.print(engineLine(event.engine));
        this.print(`Model: ${event.model}`);
        this.print(`Data: ${event.dataset}`);
        if (this.interactive) {
          const start = { epoch: 1, epochs: event.epochs, loss: '-', speed: 0, eta: formatDuration(undefined) };
          this.bar = this.bars.create(event.epochs * event.batchesPerEpoch, 0, start);
        }
        break;
      case 'batch':
        this.bar?.update((event.epoch - 1) * event.batchesPerEpoch + event.batch, {
          epoch: event.epoch,
          epochs: this.epochs,
          loss: formatLoss(event.loss),
          speed: Math.round(event.samplesPerSecond),
          eta: formatDuration(event.etaSeconds),
        });
        break;
      case 'epoch':
        this.print(epochLine(event, true));
        break;
      case 'log':
        this.print(event.message);
        break;
      case 'failed':
        this.stop();
        this.print(`Failed: ${event.message}${event.hint ? `\n${event.hint}` : ''}`);
        break;
      case 'finished':
        this.stop();
        this.print(event.message);
        break;
      case 'samples':
        break;
    }
  }

  stop(): void {
    this.bars.stop();
    this.bar = undefined;
  }
}
