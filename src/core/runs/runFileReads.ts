import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { FileVersionCache } from './fileVersionCache';

/**
 * A run file read for display: its value when it is there and well-formed, or what is wrong with it. A missing
 * file is no problem here (a run that never finished has no summary.json); an empty one, one that is not JSON,
 * or JSON of the wrong shape (a hand edit, a copy from another tool, a disk that filled up) is, and the problem
 * names the file, so that a list of runs can say which folder has which damaged file instead of crashing on it.
 */
export interface RunFileRead<T> {
  readonly value?: T;
  readonly problem?: string;
}

/** Why a parsed value is not of the expected shape, or undefined when it is. */
export type ShapeCheck = (value: unknown) => string | undefined;

export function readJsonRunFile<T>(path: string, check: ShapeCheck): RunFileRead<T> {
  const name = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? {} : { problem: `${name}: cannot be read (${code ?? (err as Error).message})` };
  }
  if (!text.trim()) return { problem: `${name}: the file is empty` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // V8 quotes the text back ('"…" is not valid JSON'): left out, since it may be binary or long.
    const why = (err as Error).message
      .split('\n')[0]
      .replace(/, ".*" is not valid JSON$/s, '')
      .slice(0, 120);
    return { problem: `${name}: not valid JSON (${why})` };
  }
  const wrong = check(value);
  return wrong ? { problem: `${name}: ${wrong}` } : { value: value as T };
}

/** Run files kept parsed per kind: a runs folder of 1,000 runs and a 200-run sweep with room to spare. */
const KEPT_PER_KIND = 5000;
const parsed = new Map<ShapeCheck, FileVersionCache<RunFileRead<unknown>>>();

/**
 * readJsonRunFile, answered from memory while the file is unchanged (same inode, size and times): for the
 * readers that go through every run folder again and again (the Runs view, the dashboard's run list).
 */
export function readJsonRunFileCached<T>(path: string, check: ShapeCheck): RunFileRead<T> {
  let cache = parsed.get(check);
  if (!cache) parsed.set(check, (cache = new FileVersionCache(KEPT_PER_KIND)));
  return cache.get(path, () => readJsonRunFile<T>(path, check)) as RunFileRead<T>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first of `paths` (dotted) that is not a number in `value`, or undefined. */
function notNumber(value: Record<string, unknown>, paths: readonly string[]): string | undefined {
  return paths.find((p) => {
    const v = p.split('.').reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), value);
    return typeof v !== 'number';
  });
}

const SPLIT_FIGURES = [
  'denoised.mse',
  'denoised.psnr',
  'denoised.ssim',
  'noisyInput.mse',
  'noisyInput.psnr',
  'noisyInput.ssim',
];

/** summary.json: an object with a status; its metrics, when present, hold every figure the readers show. */
export const summaryShape: ShapeCheck = (v) => {
  if (!isObject(v) || typeof v.status !== 'string') return 'not a run summary (no status)';
  if (v.durationSeconds !== undefined && typeof v.durationSeconds !== 'number')
    return 'not a run summary (durationSeconds is not a number)';
  if (v.metrics === undefined) return undefined;
  if (!isObject(v.metrics)) return 'not a run summary (metrics is not an object)';
  // The test split is what every list shows; train and val figures are only drawn where whole (runRow).
  const missing = notNumber(
    v.metrics,
    SPLIT_FIGURES.map((f) => `test.${f}`),
  );
  if (missing) return `not a run summary (metrics.${missing} is not a number)`;
  for (const split of ['train', 'val'])
    if (v.metrics[split] !== undefined && !isObject(v.metrics[split]))
      return `not a run summary (metrics.${split} is not an object)`;
  return undefined;
};

/** config.json: the sections every reader looks into. A full schema check is not wanted: older runs stay listed. */
export const configShape: ShapeCheck = (v) => {
  if (!isObject(v)) return 'not an experiment (not a JSON object)';
  for (const section of ['dataset', 'noise', 'model', 'training'])
    if (!isObject(v[section])) return `not an experiment (${section} is not an object)`;
  if (typeof (v.model as Record<string, unknown>).type !== 'string') return 'not an experiment (model.type is missing)';
  return undefined;
};

/** status.json: a status and the pid that writes it. */
export const statusShape: ShapeCheck = (v) =>
  isObject(v) && typeof v.status === 'string' && typeof v.pid === 'number'
    ? undefined
    : 'not a run status (no status and pid)';

/** One line of metrics.jsonl: what the curves and the report draw from it (no `val` for a run without clean images). */
export const epochRecordShape: ShapeCheck = (v) =>
  isObject(v) && Number.isInteger(v.epoch) && (v.val === undefined || isObject(v.val))
    ? undefined
    : 'not an epoch record';
