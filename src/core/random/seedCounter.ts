/** A SeedCounter's position, as plain JSON. */
export interface SeedCounterState {
  readonly base: number;
  readonly draws: number;
}

/**
 * Seeds for TensorFlow.js's seeded random ops (tf.randomNormal(..., seed)), one per draw: base + draws.
 * Each op with a given seed gives the same numbers on every machine, so the counter is the whole position
 * of such a stream, and saving it lets a resumed run draw what the uninterrupted run would have drawn.
 */
export class SeedCounter {
  private draws = 0;

  constructor(private base: number) {}

  /** The seed of the next draw. */
  next(): number {
    return this.base + this.draws++;
  }

  state(): SeedCounterState {
    return { base: this.base, draws: this.draws };
  }

  restore(state: SeedCounterState): void {
    if (!Number.isFinite(state.base) || !Number.isInteger(state.draws) || state.draws < 0) {
      throw new Error(`a saved seed counter needs a base and a whole number of draws, got ${JSON.stringify(state)}`);
    }
    this.base = state.base;
    this.draws = state.draws;
  }
}
