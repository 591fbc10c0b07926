/** The small command-line options and statistics the load and page benchmarks share. */

/** `--name N` as a whole number of at least `min`, or `fallback` when absent; a bad value stops the bench. */
export function wholeNumberOption(name: string, fallback: number, min = 0): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} needs a whole number of at least ${min}, got ${process.argv[i + 1]}`);
  return value;
}

export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
