import type { SeededRandom } from '../random/seededRandom';

/*
 * Standard normal draws by the ziggurat method (Marsaglia & Tsang 2000, with Doornik's 2005 fix of taking
 * the layer and the position from independent bits). Not SeededRandom.nextGaussian: Box-Muller costs a
 * log, a square root, a sine and a cosine per pair, and noisy MNIST needs 47 million draws; here 99% of
 * draws cost one 32-bit random number, a table look-up and a multiplication, which makes Gaussian noise
 * about three times faster. The tables and the rare slow paths use Math.exp/log/sqrt, which give the same
 * bits on every platform in V8, so the draws are reproducible.
 */

const LAYERS = 128;
/** Where the tail begins, and the area of each layer, for 128 layers (Marsaglia & Tsang). */
const TAIL_START = 3.442619855899;
const LAYER_AREA = 9.91256303526217e-3;

/** Right edges of the layers (x[0] is the base layer's, wider than TAIL_START) and x[i+1]/x[i]. */
const edge = new Float64Array(LAYERS + 1);
const inner = new Float64Array(LAYERS);
{
  let f = Math.exp(-0.5 * TAIL_START * TAIL_START);
  edge[0] = LAYER_AREA / f;
  edge[1] = TAIL_START;
  for (let i = 2; i < LAYERS; i++) {
    edge[i] = Math.sqrt(-2 * Math.log(LAYER_AREA / edge[i - 1] + f));
    f = Math.exp(-0.5 * edge[i] * edge[i]);
  }
  edge[LAYERS] = 0;
  for (let i = 0; i < LAYERS; i++) inner[i] = edge[i + 1] / edge[i];
}

/** Beyond ±TAIL_START (Marsaglia's tail method); uniforms in (0,1] so the logarithms stay finite. */
function tail(rng: SeededRandom, negative: boolean): number {
  let x: number;
  let y: number;
  do {
    x = Math.log(1 - rng.next()) / TAIL_START;
    y = Math.log(1 - rng.next());
  } while (-2 * y < x * x);
  return negative ? x - TAIL_START : TAIL_START - x;
}

/** One draw from N(0, 1). */
export function standardNormal(rng: SeededRandom): number {
  for (;;) {
    const bits = rng.nextUint32();
    const layer = bits & (LAYERS - 1);
    // The other 25 bits give a position symmetric about 0 in (-1, 1).
    const u = ((bits >>> 7) + 0.5) / 16777216 - 1;
    if (Math.abs(u) < inner[layer]) return u * edge[layer];
    if (layer === 0) return tail(rng, u < 0);
    const x = u * edge[layer];
    const f0 = Math.exp(-0.5 * (edge[layer] * edge[layer] - x * x));
    const f1 = Math.exp(-0.5 * (edge[layer + 1] * edge[layer + 1] - x * x));
    if (f1 + rng.next() * (f0 - f1) < 1) return x;
  }
}
