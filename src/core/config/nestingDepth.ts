import type { ConfigProblem } from './configError';

/** Deeper than any real experiment (about 5 levels) by far, shallow enough for recursive code to be safe. */
export const MAX_CONFIG_DEPTH = 64;

/**
 * Finds nesting deeper than MAX_CONFIG_DEPTH, walking with an explicit stack. Needed because
 * structuredClone and Ajv recurse: a hostile file such as 10,000 nested arrays would otherwise end in a
 * RangeError (stack overflow) instead of a problem the user can read.
 */
export function nestingProblem(raw: unknown): ConfigProblem | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: raw, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_CONFIG_DEPTH) {
      return { path, message: `is nested more than ${MAX_CONFIG_DEPTH} levels deep; an experiment needs about 5` };
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      stack.push({ value: child, depth: depth + 1, path: childPath });
    }
  }
  return undefined;
}
