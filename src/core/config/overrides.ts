import type { ConfigProblem } from './configError';

/** One command-line override such as `training.epochs=2` or `noise.steps[0].variance=0.05`. */
export interface Override {
  readonly path: readonly string[];
  readonly value: unknown;
  readonly text: string;
}

/**
 * Parses `PATH=VALUE`. The value is read as JSON when it parses (numbers, booleans, arrays, objects),
 * otherwise taken as a plain string, so `--set model.type=conv` needs no quotes.
 */
export function parseOverride(text: string): Override | ConfigProblem {
  const eq = text.indexOf('=');
  if (eq <= 0) return { path: '', message: `--set ${text}: expected PATH=VALUE, e.g. training.epochs=2` };
  const pathText = text.slice(0, eq).trim();
  const valueText = text.slice(eq + 1).trim();
  const path = pathText
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s.length > 0);
  if (path.length === 0 || path.some((s) => s === '__proto__' || s === 'constructor' || s === 'prototype')) {
    return { path: '', message: `--set ${text}: "${pathText}" is not a field path` };
  }
  let value: unknown = valueText;
  try {
    value = JSON.parse(valueText);
  } catch {
    // Not JSON: keep the text as a string value.
  }
  return { path, value, text };
}

/** Applies overrides to a parsed (not yet validated) config, creating intermediate objects as needed. */
export function applyOverrides(raw: unknown, overrides: readonly Override[]): unknown {
  if (overrides.length === 0) return raw;
  const root: Record<string, unknown> =
    raw !== null && typeof raw === 'object' ? structuredClone(raw as Record<string, unknown>) : {};
  for (const { path, value } of overrides) {
    let node: Record<string, unknown> = root;
    for (let i = 0; i < path.length - 1; i++) {
      const next = node[path[i]];
      if (next === null || typeof next !== 'object') node[path[i]] = /^\d+$/.test(path[i + 1]) ? [] : {};
      node = node[path[i]] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  }
  return root;
}
