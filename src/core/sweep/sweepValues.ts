import type { Sweep } from '../config/experimentConfig.generated';
import { SeededRandom } from '../random/seededRandom';

/** The field values of one run of a sweep: field path (as written in the sweep) → value. */
export type SweepPoint = Readonly<Record<string, unknown>>;

/** One entry of the product, with the label an explicit run gave itself. */
export interface SweepCombination {
  readonly values: SweepPoint;
  readonly label?: string;
  /** The fields the explicit run set (its label speaks for them). */
  readonly labelled?: readonly string[];
}

/** Every combination of the grid's values, first field varying slowest (as nested loops would). */
export function gridPoints(grid: Sweep['grid']): SweepPoint[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [path, values] of Object.entries(grid ?? {})) {
    points = points.flatMap((point) => (values as unknown[]).map((value) => ({ ...point, [path]: value })));
  }
  return points;
}

type RandomField = { min: number; max: number; scale?: 'linear' | 'log'; integer?: boolean } | { choices: unknown[] };

/** `count` draws of the random search's fields; the same seed gives the same draws on every machine. */
export function randomPoints(random: NonNullable<Sweep['random']>): SweepPoint[] {
  const rng = new SeededRandom(random.seed ?? 1);
  const fields = Object.entries(random.fields as Record<string, RandomField>);
  return Array.from({ length: random.count }, () =>
    Object.fromEntries(fields.map(([path, field]) => [path, draw(rng, field)])),
  );
}

function draw(rng: SeededRandom, field: RandomField): unknown {
  if ('choices' in field) return field.choices[Math.floor(uniform(rng) * field.choices.length)];
  const u = uniform(rng);
  const value =
    field.scale === 'log'
      ? Math.exp(Math.log(field.min) + u * (Math.log(field.max) - Math.log(field.min)))
      : field.min + u * (field.max - field.min);
  // Rounded to 4 significant digits: run names and tables stay readable, and nothing is lost for a search.
  return field.integer ? Math.round(value) : Number(value.toPrecision(4));
}

/** A uniform number in [0, 1) from the project's seeded generator. */
const uniform = (rng: SeededRandom) => rng.nextUint32() / 4294967296;

/** grid × runs × random: each part that is absent counts as one empty set, so a lone part gives its own runs. */
export function sweepCombinations(sweep: Sweep): SweepCombination[] {
  const explicit: SweepCombination[] = sweep.runs?.map((r) => ({
    values: r.set as SweepPoint,
    label: r.label,
    labelled: r.label === undefined ? [] : Object.keys(r.set),
  })) ?? [{ values: {} }];
  const random = sweep.random ? randomPoints(sweep.random) : [{}];
  const out: SweepCombination[] = [];
  for (const point of gridPoints(sweep.grid)) {
    for (const run of explicit) {
      for (const drawn of random)
        out.push({ values: { ...point, ...run.values, ...drawn }, label: run.label, labelled: run.labelled });
    }
  }
  return out;
}
