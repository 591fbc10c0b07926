import type { EncodedSamples } from '../../protocol/webviewMessages';

/**
 * Bytes of base64 text kept. A run-epoch's own output is about 8.4 kB at 8 digits and its clean and noisy
 * inputs, the same every epoch, are kept once a run: every epoch of 50 compared runs of 100 epochs fits.
 */
const DEFAULT_BUDGET = 48 * 1024 * 1024;
/** Epochs on each side of the one asked for that are read ahead first, even when older ones must go for them. */
const AHEAD = 2;
/** What a kept entry costs beyond its text (key, object): a rough figure, for the budget only. */
const ENTRY_OVERHEAD = 64;

type Read = (runDir: string, epoch: number) => EncodedSamples | undefined;

interface Job {
  readonly runDir: string;
  readonly epoch: number;
  /** Within AHEAD of the epoch asked for: read even when the budget is full. */
  readonly near: boolean;
}

/**
 * The epoch slider's images, read once per run and epoch: reading a run's epoch PNG costs milliseconds, so
 * 50 compared runs cost a slider step tens of them. Answers come from here. In the background (one image per
 * turn of the event loop, so a new request is never held up) the epochs next to the one asked for are read
 * first, then every other epoch of the runs, nearest first, while the byte budget has room, so that a jump
 * across the slider finds its images too (a jump to an unread epoch of 50 runs waits for 50 PNGs to be
 * decoded: BENCHMARKS.md, bench:page). Beyond the budget the least recently used are dropped.
 */
export class EpochImageCache {
  private readonly entries = new Map<string, { runDir: string; samples: EncodedSamples; bytes: number }>();
  /**
   * Each run's clean and noisy inputs as last read, shared by its kept epochs when they are the same text,
   * counted in the budget once and let go with the run's last kept epoch.
   */
  private readonly inputs = new Map<string, { clean?: string; noisy: string; kept: number }>();
  private bytes = 0;
  private queue: Job[] = [];
  /** The next job of the queue (an index: shifting a queue of thousands each turn would move them all). */
  private next = 0;
  private scheduled = false;
  /** The last epoch of the runs compared last: how far the background reading goes. */
  private lastEpoch = 0;

  constructor(
    private readonly read: Read,
    private readonly budget = DEFAULT_BUDGET,
    private readonly schedule: (work: () => void) => void = (work) => setImmediate(work),
  ) {}

  /** The runs' images after `epoch` (read now when not kept), then reads the other epochs ahead. */
  samples(runDirs: readonly string[], epoch: number, lastEpoch?: number): (EncodedSamples | undefined)[] {
    const answer = runDirs.map((runDir) => this.get(runDir, epoch));
    this.readAround(runDirs, epoch, lastEpoch);
    return answer;
  }

  /**
   * Reads the epochs around `epoch` in the background: after a slider step, or when runs are compared (the
   * slider starts after their last epoch, so its first step finds its images read). `lastEpoch` is the runs'
   * last epoch; without it, the one given last, or only the next epochs when none was.
   */
  readAround(runDirs: readonly string[], epoch: number, lastEpoch?: number): void {
    if (lastEpoch !== undefined) this.lastEpoch = lastEpoch;
    const last = lastEpoch ?? (this.lastEpoch || Infinity);
    const reach = Number.isFinite(last) ? Math.max(epoch - 1, last - epoch) : AHEAD;
    const jobs: Job[] = [];
    for (let d = 1; d <= reach; d++)
      for (const e of [epoch - d, epoch + d])
        if (e >= 1 && e <= last) for (const runDir of runDirs) jobs.push({ runDir, epoch: e, near: d <= AHEAD });
    // The latest request's order replaces what an earlier one queued.
    this.queue = jobs.filter((job) => !this.entries.has(key(job.runDir, job.epoch)));
    this.next = 0;
    this.pump();
  }

  /** Whether the images of a run's epoch are kept. */
  has(runDir: string, epoch: number): boolean {
    return this.entries.has(key(runDir, epoch));
  }

  /** Bytes of what is kept, as the budget counts them. */
  keptBytes(): number {
    return this.bytes;
  }

  private get(runDir: string, epoch: number): EncodedSamples | undefined {
    const k = key(runDir, epoch);
    const kept = this.entries.get(k);
    if (kept) {
      // Most recently used last.
      this.entries.delete(k);
      this.entries.set(k, kept);
      return kept.samples;
    }
    const samples = this.read(runDir, epoch);
    this.keep(runDir, epoch, samples);
    return samples;
  }

  /** Keeps what was read; an epoch without images is not kept, as a training run may still write it. */
  private keep(runDir: string, epoch: number, read: EncodedSamples | undefined): void {
    if (!read) return;
    let shared = this.inputs.get(runDir);
    if (!shared || shared.noisy !== read.noisy || shared.clean !== read.clean) {
      // New inputs (a run folder written again): epochs kept with the old ones keep their own copy.
      if (shared) this.bytes -= inputBytes(shared);
      shared = { clean: read.clean, noisy: read.noisy, kept: shared?.kept ?? 0 };
      this.inputs.set(runDir, shared);
      this.bytes += inputBytes(shared);
    }
    shared.kept++;
    const bytes = read.denoised.length + ENTRY_OVERHEAD;
    const samples = { ...read, clean: shared.clean, noisy: shared.noisy };
    this.entries.set(key(runDir, epoch), { runDir, samples, bytes });
    this.bytes += bytes;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.entries.delete(oldest);
      this.bytes -= value.bytes;
      this.release(value.runDir);
    }
  }

  /** One kept epoch of the run fewer: its inputs go with the last one. */
  private release(runDir: string): void {
    const shared = this.inputs.get(runDir);
    if (!shared || --shared.kept > 0) return;
    this.inputs.delete(runDir);
    this.bytes -= inputBytes(shared);
  }

  /** Whether a far job still fits: it must not push out what was read for the epochs next to the slider. */
  private hasRoomFor(job: Job): boolean {
    if (job.near) return true;
    const typical = this.entries.size ? this.bytes / this.entries.size : 0;
    return this.bytes + typical <= this.budget;
  }

  private pump(): void {
    if (this.scheduled || this.next >= this.queue.length) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      const job = this.queue[this.next++];
      if (job && !this.hasRoomFor(job)) {
        this.queue = this.queue.slice(this.next).filter((j) => j.near);
        this.next = 0;
      } else if (job && !this.entries.has(key(job.runDir, job.epoch))) {
        try {
          this.keep(job.runDir, job.epoch, this.read(job.runDir, job.epoch));
        } catch {
          // Read ahead only: the request itself reports an unreadable image.
        }
      }
      this.pump();
    });
  }
}

const key = (runDir: string, epoch: number) => `${epoch}\n${runDir}`;
const inputBytes = (inputs: { clean?: string; noisy: string }) => (inputs.clean?.length ?? 0) + inputs.noisy.length;
