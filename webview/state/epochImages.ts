/**
 * The epoch slider's images in the page: the host's answers kept (a byte-bounded LRU), the epochs next to the
 * one shown asked for ahead, one request at a time, so that a step lands on images already here. A jump to an
 * epoch not kept shows the nearest kept epoch at once (the view says so) and the real one when it arrives.
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

const answerBytes = (answer: EpochAnswer): number => {
  let bytes = 64;
  for (const s of answer.values()) bytes += (s.clean?.length ?? 0) + s.noisy.length + s.denoised.length + 64;
  return bytes;
};

export class EpochImages {
  private readonly kept: ByteLru<number, EpochAnswer>;
  private inFlight: number | undefined;
  private wanted: number | undefined;
  private last = 1;

  constructor(
    /** Sends the host a request for one epoch's images (answered by `receive`). */
    private readonly ask: (epoch: number) => void,
    budget = EPOCH_IMAGES_BUDGET,
  ) {
    this.kept = new ByteLru(budget, answerBytes);
  }

  /** New runs compared: nothing kept belongs to them; epochs run from 1 to `lastEpoch`. */
  reset(lastEpoch: number): void {
    this.kept.clear();
    this.inFlight = undefined;
    this.wanted = undefined;
    this.last = lastEpoch;
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
    if (epoch !== this.inFlight) return undefined;
    this.inFlight = undefined;
    this.kept.set(epoch, byRun);
    this.pump();
    return epoch === this.wanted ? { epoch, byRun, exact: true } : undefined;
  }

  /** Asks for the wanted epoch first, then for its neighbours not kept; never more than one request out. */
  private pump(): void {
    if (this.inFlight !== undefined || this.wanted === undefined) return;
    const next = [this.wanted, ...neighbours(this.wanted)].find((e) => e >= 1 && e <= this.last && !this.kept.has(e));
    if (next === undefined) return;
    this.inFlight = next;
    this.ask(next);
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
