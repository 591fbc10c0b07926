/**
 * Seeded pseudo-random numbers that are identical on every machine and Node version.
 *
 * Written by hand rather than taken from a library because it is small (sfc32 is a dozen lines) and it sits
 * in the hot path of noise generation (47 million draws for one noisy copy of MNIST): a class with
 * plain 32-bit integer state runs several times faster than general-purpose seedable generators.
 */
/** A SeededRandom's position, as plain JSON: see SeededRandom.state(). */
export interface SeededRandomState {
  readonly words: readonly number[];
  readonly spareGaussian: number | null;
}

export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareGaussian: number | undefined;

  constructor(seed: number) {
    // splitmix32 spreads a small integer seed over the 128-bit state so nearby seeds give unrelated streams.
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniformly distributed 32-bit unsigned integer (sfc32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal N(0, 1) by the Box-Muller transform (pairs, the second value kept for the next call). */
  nextGaussian(): number {
    if (this.spareGaussian !== undefined) {
      const v = this.spareGaussian;
      this.spareGaussian = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareGaussian = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Poisson-distributed integer with mean lambda (Knuth for small means, a normal approximation above 64). */
  nextPoisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 64) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.nextGaussian()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /**
   * Where the stream stands: the four state words and the Box-Muller value kept for the next Gaussian.
   * A generator made by fromState continues with exactly the numbers this one would draw next.
   */
  state(): SeededRandomState {
    return { words: [this.a, this.b, this.c, this.d], spareGaussian: this.spareGaussian ?? null };
  }

  /** A generator that continues a stream saved by state() (in a checkpoint, say). */
  static fromState(state: SeededRandomState): SeededRandom {
    const words = state.words;
    if (words.length !== 4 || !words.every((w) => Number.isInteger(w))) {
      throw new Error(`a saved random stream needs 4 integer state words, got ${JSON.stringify(words)}`);
    }
    const rng = new SeededRandom(0);
    [rng.a, rng.b, rng.c, rng.d] = words.map((w) => w | 0);
    rng.spareGaussian = state.spareGaussian ?? undefined;
    return rng;
  }

  /** A fresh generator whose stream depends on this seed and a label, for independent sub-streams. */
  static derive(seed: number, label: string): SeededRandom {
    let h = seed >>> 0;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
    return new SeededRandom(h);
  }

  /** Fisher-Yates shuffle of 0..n-1. */
  permutation(n: number): Uint32Array {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }
}
