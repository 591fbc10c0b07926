import type { TrainingEvent } from '../core/training/events';
import { formatDuration, formatLoss } from './format';

type EpochEvent = Extract<TrainingEvent, { type: 'epoch' }>;

/**
 * The line an epoch leaves in the terminal and in the trainer's log: losses, validation quality, time,
 * speed, and the share of the epoch's time (validation included) spent waiting for batches (patches cut,
 * turned and noised) when the run measured it. `padEpoch` right-aligns the epoch number under the others.
 */
export function epochLine(event: EpochEvent, padEpoch = false): string {
  const epoch = padEpoch ? String(event.epoch).padStart(String(event.epochs).length) : String(event.epoch);
  const quality = event.val ? `PSNR ${event.val.psnr.toFixed(2)} dB  SSIM ${event.val.ssim.toFixed(3)}  ` : '';
  const data =
    event.dataSeconds !== undefined && event.seconds > 0
      ? `  data ${((100 * event.dataSeconds) / event.seconds).toFixed(1)}%`
      : '';
  return (
    `epoch ${epoch}/${event.epochs}  train ${formatLoss(event.trainLoss)}  val ${formatLoss(event.valLoss)}  ` +
    `${quality}${formatDuration(event.seconds)}  ${Math.round(event.samplesPerSecond)} samples/s${data}${event.best ? '  *' : ''}`
  );
}
