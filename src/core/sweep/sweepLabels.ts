import type { SweepCombination } from './sweepValues';

/** Short names for the fields sweeps vary most, so a label reads like the seed report's columns. */
const SHORT: Readonly<Record<string, string>> = { learningRate: 'lr', batchSize: 'batch', codeSize: 'codeSize' };

/**
 * The fields whose value differs between the runs (all fields when there is only one run). A run that
 * does not set a field has the experiment's own value there (`baseValue`).
 */
export function varyingPaths(
  combinations: readonly SweepCombination[],
  baseValue: (path: string) => unknown = () => undefined,
): string[] {
  const paths = [...new Set(combinations.flatMap((c) => Object.keys(c.values)))];
  if (combinations.length <= 1) return paths;
  const valueIn = (c: SweepCombination, path: string) =>
    JSON.stringify(path in c.values ? c.values[path] : baseValue(path));
  return paths.filter((path) => new Set(combinations.map((c) => valueIn(c, path))).size > 1);
}

/** "learningRate" for "training.learningRate", or the whole path when two varying paths end the same. */
function shortNames(paths: readonly string[]): Map<string, string> {
  const last = (path: string) => path.split('.').pop() as string;
  const counts = new Map<string, number>();
  for (const p of paths) counts.set(last(p), (counts.get(last(p)) ?? 0) + 1);
  return new Map(paths.map((p) => [p, counts.get(last(p)) === 1 ? (SHORT[last(p)] ?? last(p)) : p]));
}

/** A value as a label shows it: noise steps by their types ("gaussian+periodic"), anything else compactly. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(describeValue).join('+');
  if (value !== null && typeof value === 'object') {
    const type = (value as { type?: unknown }).type;
    return typeof type === 'string' ? type : JSON.stringify(value);
  }
  return String(value);
}

/** "seed-table1 codeSize=100 lr=0.5": the sweep's name, then what this run changes (or the run's own label). */
export function runLabels(
  baseName: string,
  combinations: readonly SweepCombination[],
  baseValue?: (path: string) => unknown,
): string[] {
  const paths = varyingPaths(combinations, baseValue);
  const names = shortNames(paths);
  return combinations.map((c) => {
    const parts = c.label !== undefined ? [c.label] : [];
    // Fields the run's own label speaks for are not repeated; grid and random fields still are.
    for (const path of paths) {
      if (path in c.values && !c.labelled?.includes(path))
        parts.push(`${names.get(path)}=${describeValue(c.values[path])}`);
    }
    return [baseName, ...parts].join(' ');
  });
}

/** A label made into a valid experiment name (letters, digits, '.', '_', '-'; at most 80 characters). */
export function runName(label: string, index: number, width: number): string {
  const number = String(index + 1).padStart(width, '0');
  const safe = label
    .replace(/=/g, '-')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '');
  const tail = `_${number}`;
  return `${safe.slice(0, 80 - tail.length)}${tail}`;
}
