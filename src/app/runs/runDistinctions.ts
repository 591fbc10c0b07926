import { formatSetting } from '../format';

/** What tells a run apart: its name, start time and config. */
export interface DistinguishedRun {
  readonly runDir: string;
  readonly name: string;
  readonly startedAt?: string;
  readonly config?: unknown;
  /** The user's own name for the run (notes.json): it tells the run apart by itself. */
  readonly title?: string;
  readonly tags?: readonly string[];
}

/** Config fields that say nothing about how a run trained. */
const IGNORED = new Set(['name', 'description', '$schema', 'output', 'sweep']);
/** Fields named in a label at most; the rest are in the config diff. */
const MAX_FIELDS = 3;
/** Characters of a label: a legend entry or a tree row, not a paragraph. */
const MAX_LABEL = 160;

/** The config's leaves by path (`noise.steps[0].variance`), arrays of plain values kept whole. */
function leaves(value: unknown, path: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (!path && IGNORED.has(key)) continue;
      leaves(child, path ? `${path}.${key}` : key, out);
    }
  } else if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) {
    value.forEach((child, i) => leaves(child, `${path}[${i}]`, out));
  } else {
    out.set(path, value);
  }
}

function flatten(value: unknown, path: string, out: Map<string, string>): void {
  const raw = new Map<string, unknown>();
  leaves(value, path, raw);
  for (const [key, leaf] of raw) out.set(key, typeof leaf === 'number' ? formatSetting(leaf) : JSON.stringify(leaf));
}

/** A config field that differs among compared runs, with this run's value (a number when it is one). */
export interface RunParam {
  readonly key: string;
  readonly value: number | string;
}

/** Fields kept per run: a parallel-coordinates view with more axes than this is unreadable. */
const MAX_PARAMS = 12;

/**
 * The config fields whose values differ among the runs, whatever their names (a sweep's hyper-parameters),
 * per run and in path order. A run without the field gets "unset".
 */
export function varyingParams(runs: readonly DistinguishedRun[]): Map<string, RunParam[]> {
  const flat = runs.map((run) => {
    const out = new Map<string, unknown>();
    leaves(run.config ?? {}, '', out);
    return out;
  });
  const key = (v: unknown) => JSON.stringify(v ?? null);
  const paths = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  const differing = runs.length < 2 ? [] : paths.filter((p) => new Set(flat.map((f) => key(f.get(p)))).size > 1);
  const shown = differing.slice(0, MAX_PARAMS);
  return new Map(
    runs.map((run, i) => [
      run.runDir,
      shown.map((p) => {
        const v = flat[i].get(p);
        return {
          key: p,
          value: typeof v === 'number' && Number.isFinite(v) ? v : v === undefined ? 'unset' : String(v),
        };
      }),
    ]),
  );
}

/** One formatter for every label: toLocaleString builds a new one per call (a tenth of a second for 1,000 runs). */
const MONTH = new Intl.DateTimeFormat('en', { month: 'short' });

/** "Dec 2 14:05" from an ISO time, in the viewer's time zone; empty for a missing or bad time. */
export function shortTime(iso: string | undefined): string {
  const date = iso ? new Date(iso) : undefined;
  if (!date || Number.isNaN(date.getTime())) return '';
  const month = MONTH.format(date);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${month} ${date.getDate()} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * The config fields whose values differ among runs of the same name, per run: `training.learningRate=0.01`.
 * Runs with a name of their own get none (their name tells them apart).
 */
export function differingFields(runs: readonly DistinguishedRun[]): Map<string, string[]> {
  const groups = new Map<string, DistinguishedRun[]>();
  for (const run of runs) groups.set(run.name, [...(groups.get(run.name) ?? []), run]);
  const result = new Map<string, string[]>();
  for (const group of groups.values()) {
    const flat = group.map((run) => {
      const out = new Map<string, string>();
      flatten(run.config ?? {}, '', out);
      return out;
    });
    const paths = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
    const differing = group.length < 2 ? [] : paths.filter((p) => new Set(flat.map((f) => f.get(p))).size > 1);
    group.forEach((run, i) =>
      result.set(
        run.runDir,
        differing.map((p) => `${p}=${flat[i].get(p) ?? 'unset'}`),
      ),
    );
  }
  return result;
}

/**
 * A label per run that tells it from the others listed with it: the name, the start time, and up to three
 * config fields that differ from its namesakes' ("quick-start · Dec 2 14:05 · training.learningRate=0.01").
 * A run the user named is labelled with that name alone. Tags follow either ("#baseline #small").
 */
export function distinguishingLabels(runs: readonly DistinguishedRun[]): Map<string, string> {
  // Runs the user named are told apart by their names; their namesakes among the rest by fields.
  const fields = differingFields(runs.filter((r) => !r.title));
  const labels = new Map<string, string>();
  for (const run of runs) {
    const differing = fields.get(run.runDir) ?? [];
    const shown =
      differing.slice(0, MAX_FIELDS).join(', ') +
      (differing.length > MAX_FIELDS ? ` (+${differing.length - MAX_FIELDS})` : '');
    const tags = run.tags?.length ? run.tags.map((t) => `#${t}`).join(' ') : '';
    const parts = run.title ? [run.title, tags] : [run.name, shortTime(run.startedAt), shown, tags];
    const label = parts.filter(Boolean).join(' · ');
    labels.set(run.runDir, label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label);
  }
  return labels;
}
