/** Why a run was stopped as diverged, with the advice shown to the user. */
export class DivergenceError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'DivergenceError';
  }
}

/**
 * Stops a run whose loss becomes NaN or explodes. The seed report's learning rate 1.5 with plain SGD
 * sits near that edge, so the message names the learning rate and proposes a lower one.
 */
export class DivergenceGuard {
  private reference: number | undefined;
  private readonly warmup: number[] = [];

  constructor(
    private readonly factor: number,
    private readonly learningRate: number,
    private readonly optimizer: string,
  ) {}

  /** The loss scale so far (the first batches' losses, then their maximum), for a checkpoint. */
  resumeState(): { reference: number | null; warmup: number[] } {
    return { reference: this.reference ?? null, warmup: [...this.warmup] };
  }

  restoreState(state: { reference: number | null; warmup: number[] }): void {
    this.reference = state.reference ?? undefined;
    this.warmup.splice(0, this.warmup.length, ...state.warmup);
  }

  /** Throws DivergenceError when the loss is not finite or exceeds factor x the loss of the first batches. */
  check(loss: number, epoch: number, batch: number): void {
    const where = `epoch ${epoch}, batch ${batch}`;
    if (!Number.isFinite(loss)) this.fail(`the loss became ${loss} at ${where}`);
    if (this.reference === undefined) {
      // The first few batches define the scale; one noisy batch must not set it.
      this.warmup.push(loss);
      if (this.warmup.length === 5) this.reference = Math.max(...this.warmup);
      return;
    }
    if (loss > this.factor * this.reference) {
      this.fail(
        `the loss exploded to ${loss.toPrecision(3)} at ${where}, over ${this.factor}x its starting value ${this.reference.toPrecision(3)}`,
      );
    }
  }

  private fail(what: string): never {
    const lower = Number((this.learningRate / 2).toPrecision(2));
    throw new DivergenceError(
      `Training diverged: ${what}.`,
      `The learning rate ${this.learningRate} is too high for ${this.optimizer} on this model; try training.learningRate=${lower}.`,
    );
  }
}
