import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ExperimentConfig } from './experimentConfig.generated';
import { ConfigError, type ConfigProblem } from './configError';
import { applyOverrides, parseOverride, type Override } from './overrides';
import { validateConfig } from './validateConfig';
import { nestingProblem } from './nestingDepth';

export interface LoadedConfig {
  /** Absolute path of the experiment file. */
  readonly file: string;
  /** Folder of the experiment file: relative paths in the config resolve from here. */
  readonly baseDir: string;
  /** The validated config with every default filled in. */
  readonly config: ExperimentConfig;
}

/** Parses JSON text, turning a syntax error into a problem with line and column. */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; problem: ConfigProblem } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    // V8 sometimes quotes the whole text back ('Unexpected token 'N', "{...}" is not valid JSON'): drop
    // the quote, which can be the entire file, and keep the reason.
    const message = (err as Error).message.replace(/, ".*" is not valid JSON$/s, '');
    const position = /position (\d+)/.exec(message);
    const atEnd = /Unexpected end of JSON input/.test(message);
    if (!position && !atEnd) return { ok: false, problem: { path: '', message: `invalid JSON: ${message}` } };
    const offset = position ? Number(position[1]) : text.length;
    const before = text.slice(0, offset).split('\n');
    return {
      ok: false,
      problem: {
        path: '',
        message: `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
        line: before.length,
        column: before[before.length - 1].length + 1,
      },
    };
  }
}

/** Validates an in-memory config (from an editor buffer or a sweep) with optional `PATH=VALUE` overrides. */
export function resolveConfig(
  raw: unknown,
  overrideTexts: readonly string[] = [],
): { config?: ExperimentConfig; problems: ConfigProblem[] } {
  const overrides: Override[] = [];
  const problems: ConfigProblem[] = [];
  for (const text of overrideTexts) {
    const parsed = parseOverride(text);
    if ('message' in parsed) problems.push(parsed);
    else overrides.push(parsed);
  }
  if (problems.length) return { problems };
  // Checked before the overrides are applied: applying them copies the document, which recurses.
  const tooDeep = nestingProblem(raw);
  if (tooDeep) return { problems: [tooDeep] };
  const result = validateConfig(applyOverrides(raw, overrides));
  return result.ok ? { config: result.config, problems: [] } : { problems: result.problems };
}

/** Reads, parses and validates an experiment file. Throws ConfigError listing every problem. */
export function loadConfig(file: string, overrideTexts: readonly string[] = []): LoadedConfig {
  const absolute = resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : (err as Error).message;
    throw new ConfigError(absolute, [{ path: '', message: reason }]);
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new ConfigError(absolute, [parsed.problem]);
  const { config, problems } = resolveConfig(parsed.value, overrideTexts);
  if (!config) throw new ConfigError(absolute, problems);
  return { file: absolute, baseDir: resolve(absolute, '..'), config };
}
