/**
 * The epoch slider's images in the page: the host's answers kept (a byte-bounded LRU), the epochs next to the
 * one shown asked for ahead, one read-ahead request at a time, so that a step lands on images already here.
 * The slider's own epoch is asked for at once, beside a read-ahead still out (waiting for that one cost a
 * jump a whole round trip). A jump to an epoch not kept shows the nearest kept epoch at once (the view says
 * so) and the real one when it arrives. When runs are compared, the epochs before the last are read ahead.
 */
import type { EncodedSamples } from '../../src/protocol/webviewMessages';
import { ByteLru } from './byteLru';

/** One epoch's images, by run folder. */
export type EpochAnswer = ReadonlyMap<string, EncodedSamples>;

export interface EpochShown {
  readonly epoch: number;
  readonly byRun: EpochAnswer;
  /** The epoch the slider names; false while a nearby kept epoch stands in for it. */
  readonly exact: boolean;
}

/**
 * Base64 text kept: 50 compared runs take about 1.25 MB an epoch at 8 digits, so this holds a dozen epochs,
 * a small part of the page's 300 MB target (the empty dashboard is about 145 MB resident; BENCHMARKS.md).
 */
export const EPOCH_IMAGES_BUDGET = 16 * 1024 * 1024;
/** Epochs on each side of the one shown that are asked for ahead. */
const AHEAD = 2;

/** Runs that share their inputs hold the same strings (epochSamplesPacking.ts): counted once. */
const answerBytes = (answer: EpochAnswer): number => {
  const strings = new Set<string>();
  for (const s of answer.values()) for (const text of [s.clean, s.noisy, s.denoised]) if (text) strings.add(text);
  let bytes = 64 + 64 * answer.size;
  for (const text of strings) bytes += text.length;
  return bytes;
};

export class EpochImages {
  private readonly kept: ByteLru<number, EpochAnswer>;
  /** Epochs asked for and not yet answered: the slider's own, and at most one read ahead. */
  private readonly inFlight = new Set<number>();
  private wanted: number | undefined;
  /** The epoch whose neighbours are read ahead: the slider's, or the last until the slider moves. */
  private centre: number | undefined;
  private last = 1;

  constructor(
    /** Sends the host a request for one epoch's images (answered by `receive`). */
    private readonly ask: (epoch: number) => void,
    budget = EPOCH_IMAGES_BUDGET,
  ) {
    this.kept = new ByteLru(budget, answerBytes);
  }

  /**
   * New runs compared: nothing kept belongs to them; epochs run from 1 to `lastEpoch`, where the slider
   * starts, so that epoch and the ones before it are read ahead for its first steps.
   */
  reset(lastEpoch: number): void {
    this.kept.clear();
    this.inFlight.clear();
    this.wanted = undefined;
    this.centre = lastEpoch;
    this.last = lastEpoch;
    this.pump();
  }

  /** Bytes of images kept. */
  get bytes(): number {
    return this.kept.bytes;
  }

  /**
   * The slider names `epoch`: what to show now (its images when kept, else the nearest kept epoch, else
   * nothing), and the requests that bring it and its neighbours.
   */
  want(epoch: number): EpochShown | undefined {
    this.wanted = epoch;
    this.centre = epoch;
    const exact = this.kept.get(epoch);
    this.pump();
    if (exact) return { epoch, byRun: exact, exact: true };
    const nearest = this.nearest(epoch);
    return nearest === undefined ? undefined : { epoch: nearest, byRun: this.kept.get(nearest)!, exact: false };
  }

  /**
   * The host's answer for `epoch`: kept, and handed back to be shown when it is the epoch the slider names. An
   * answer nobody is waiting for (asked before the runs compared changed) is dropped.
   */
  receive(epoch: number, byRun: EpochAnswer): EpochShown | undefined {
    if (!this.inFlight.delete(epoch)) return undefined;
    this.kept.set(epoch, byRun);
    this.pump();
    return epoch === this.wanted ? { epoch, byRun, exact: true } : undefined;
  }

  /**
   * Asks for the wanted epoch when it is neither kept nor asked for, then, with nothing else out, for the
   * first neighbour of the centre not kept.
   */
  private pump(): void {
    const missing = (e: number) => e >= 1 && e <= this.last && !this.kept.has(e) && !this.inFlight.has(e);
    if (this.wanted !== undefined && missing(this.wanted)) this.request(this.wanted);
    if (this.inFlight.size > 0 || this.centre === undefined) return;
    const next = [this.centre, ...neighbours(this.centre)].find(missing);
    if (next !== undefined) this.request(next);
  }

  private request(epoch: number): void {
    this.inFlight.add(epoch);
    this.ask(epoch);
  }

  private nearest(epoch: number): number | undefined {
    let best: number | undefined;
    for (const e of this.kept.keys()) if (best === undefined || Math.abs(e - epoch) < Math.abs(best - epoch)) best = e;
    return best;
  }
}

function neighbours(epoch: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= AHEAD; d++) out.push(epoch - d, epoch + d);
  return out;
}
