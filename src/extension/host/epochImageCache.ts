import type { EncodedSamples } from '../../protocol/webviewMessages';

/** Bytes of base64 text kept: a few epochs of 50 compared runs (each run-epoch is about 25 kB at 8 digits). */
const DEFAULT_BUDGET = 48 * 1024 * 1024;
/** Epochs on each side of the one asked for that are read ahead, while the user is still deciding. */
const AHEAD = 2;

type Read = (runDir: string, epoch: number) => EncodedSamples | undefined;

const sizeOf = (s: EncodedSamples) => (s.clean?.length ?? 0) + s.noisy.length + s.denoised.length + 64;

/**
 * The epoch slider's images, read once per run and epoch: reading a run's epoch PNG costs milliseconds, so
 * 50 compared runs cost a slider step hundreds. Answers come from here, the epochs next to the one asked for
 * are read ahead in the background (one image per turn of the event loop, so a new request is never held
 * up), and the least recently used are dropped beyond a byte budget.
 */
export class EpochImageCache {
  private readonly entries = new Map<string, EncodedSamples>();
  private bytes = 0;
  private queue: { runDir: string; epoch: number }[] = [];
  private scheduled = false;

  constructor(
    private readonly read: Read,
    private readonly budget = DEFAULT_BUDGET,
    private readonly schedule: (work: () => void) => void = (work) => setImmediate(work),
  ) {}

  /** The runs' images after `epoch` (read now when not kept), then reads the neighbouring epochs ahead. */
  samples(runDirs: readonly string[], epoch: number, lastEpoch = Infinity): (EncodedSamples | undefined)[] {
    const answer = runDirs.map((runDir) => this.get(runDir, epoch));
    this.readAround(runDirs, epoch, lastEpoch);
    return answer;
  }

  /**
   * Reads the epochs next to `epoch` in the background: after a slider step, or when runs are compared (the
   * slider starts after their last epoch, so its first step finds its images read).
   */
  readAround(runDirs: readonly string[], epoch: number, lastEpoch = Infinity): void {
    const ahead: { runDir: string; epoch: number }[] = [];
    for (let d = 1; d <= AHEAD; d++)
      for (const e of [epoch - d, epoch + d])
        if (e >= 1 && e <= lastEpoch) for (const runDir of runDirs) ahead.push({ runDir, epoch: e });
    // The latest request's neighbours replace what an earlier one queued.
    this.queue = ahead.filter((job) => !this.entries.has(key(job.runDir, job.epoch)));
    this.pump();
  }

  /** Whether the images of a run's epoch are kept. */
  has(runDir: string, epoch: number): boolean {
    return this.entries.has(key(runDir, epoch));
  }

  private get(runDir: string, epoch: number): EncodedSamples | undefined {
    const k = key(runDir, epoch);
    const kept = this.entries.get(k);
    if (kept) {
      // Most recently used last.
      this.entries.delete(k);
      this.entries.set(k, kept);
      return kept;
    }
    const samples = this.read(runDir, epoch);
    this.keep(k, samples);
    return samples;
  }

  /** Keeps what was read; an epoch without images is not kept, as a training run may still write it. */
  private keep(k: string, samples: EncodedSamples | undefined): void {
    if (!samples) return;
    this.entries.set(k, samples);
    this.bytes += sizeOf(samples);
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.entries.delete(oldest);
      this.bytes -= sizeOf(value);
    }
  }

  private pump(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      const job = this.queue.shift();
      if (job && !this.entries.has(key(job.runDir, job.epoch))) {
        try {
          this.keep(key(job.runDir, job.epoch), this.read(job.runDir, job.epoch));
        } catch {
          // Read ahead only: the request itself reports an unreadable image.
        }
      }
      this.pump();
    });
  }
}

const key = (runDir: string, epoch: number) => `${epoch}\n${runDir}`;
