import type { EpochRecord } from '../../core/training/events';
import type { EpochPoint } from '../../protocol/webviewMessages';

/** One epoch of metrics.jsonl, or a live epoch event, as a point of the page's curves. */
export function epochPoint(record: Pick<EpochRecord, 'epoch' | 'trainLoss' | 'valLoss' | 'val'>): EpochPoint {
  return {
    epoch: record.epoch,
    trainLoss: record.trainLoss,
    valLoss: record.valLoss,
    // Absent, not zero, for a run without clean images (Noise2Void on noisy data).
    ...(record.val ? { valPsnr: record.val.psnr, valSsim: record.val.ssim } : {}),
  };
}
