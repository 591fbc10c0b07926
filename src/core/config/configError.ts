/** One thing wrong with an experiment config, located by its JSON path (e.g. "training.learningRate"). */
export interface ConfigProblem {
  /** Dotted path with [i] for array items; "" for the whole document. */
  readonly path: string;
  readonly message: string;
  /** Line and column (1-based) in the file, when known (JSON syntax errors). */
  readonly line?: number;
  readonly column?: number;
}

/** A config that cannot be used; lists every problem so the user can fix them all at once. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(file, problems));
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line !== undefined ? `line ${p.line}, column ${p.column}: ` : '';
  return p.path ? `${where}${p.path}: ${p.message}` : `${where}${p.message}`;
}

function formatProblems(file: string, problems: readonly ConfigProblem[]): string {
  const head = `${file} is not a valid experiment (${problems.length} problem${problems.length === 1 ? '' : 's'}):`;
  return [head, ...problems.map((p) => `  - ${formatProblem(p)}`)].join('\n');
}
