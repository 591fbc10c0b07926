/**
 * The parallel-coordinates view of compared runs (a sweep): one vertical axis per hyper-parameter that
 * differs among them, then test PSNR; each run a line across the axes. Pure (no DOM), so the layout is
 * tested in Node and the view only draws it.
 */
import type { RunRow } from '../../src/protocol/webviewMessages';
import { formatSetting } from '../../src/app/format';

export interface ParallelAxis {
  readonly key: string;
  /** Short title ("learningRate"); `path` is the whole config path. */
  readonly title: string;
  readonly path: string;
  readonly kind: 'number' | 'category';
  readonly log: boolean;
  /** Tick values as 0..1 from the bottom, with their text. */
  readonly ticks: readonly { readonly at: number; readonly text: string }[];
}

export interface ParallelLine {
  readonly runDir: string;
  readonly label: string;
  /** Per axis, 0..1 from the bottom; undefined where the run has no value (the line has a gap). */
  readonly points: readonly (number | undefined)[];
  /** Per axis, the value as text, for the readout and the line's accessible name. */
  readonly texts: readonly string[];
  /** Test PSNR in dB, or undefined for a run that has none. */
  readonly psnr?: number;
}

export interface ParallelLayout {
  readonly axes: readonly ParallelAxis[];
  /** Best test PSNR first, runs without one last. */
  readonly lines: readonly ParallelLine[];
  readonly psnrRange?: { readonly min: number; readonly max: number };
}

type Value = number | string | undefined;
interface Source {
  readonly key: string;
  readonly path: string;
  readonly value: (row: RunRow) => Value;
}

/** The table's hyper-parameter columns, used when the rows carry no differing config fields. */
const ROW_FIELDS: readonly Source[] = [
  { key: 'model', path: 'model', value: (r) => r.model },
  { key: 'noise', path: 'noise', value: (r) => r.noise },
  { key: 'layers', path: 'layers', value: (r) => r.layers },
  { key: 'codeSize', path: 'codeSize', value: (r) => r.codeSize },
  { key: 'optimizer', path: 'training.optimizer', value: (r) => r.optimizer },
  { key: 'learningRate', path: 'training.learningRate', value: (r) => r.learningRate },
  { key: 'batchSize', path: 'training.batchSize', value: (r) => r.batchSize },
  { key: 'epochs', path: 'training.epochs', value: (r) => r.epochs },
];

const PSNR: Source = { key: 'testPsnr', path: 'test PSNR (dB)', value: (r) => r.test?.psnr };

/** A numeric axis becomes logarithmic when its positive values span this factor or more (learning rates). */
const LOG_SPAN = 20;

const isNumber = (v: Value): v is number => typeof v === 'number' && Number.isFinite(v);

/** "learningRate" for "training.learningRate", the whole path where two would read the same. */
function shortTitles(paths: readonly string[]): Map<string, string> {
  const last = (p: string) => p.split('.').pop() ?? p;
  const counts = new Map<string, number>();
  for (const p of paths) counts.set(last(p), (counts.get(last(p)) ?? 0) + 1);
  return new Map(paths.map((p) => [p, counts.get(last(p)) === 1 ? last(p) : p]));
}

function sourcesOf(rows: readonly RunRow[]): Source[] {
  const paths = [...new Set(rows.flatMap((r) => (r.params ?? []).map((p) => p.key)))];
  if (paths.length > 0)
    return paths.map((path) => ({
      key: path,
      path,
      value: (r: RunRow) => r.params?.find((p) => p.key === path)?.value,
    }));
  // No differing config fields were sent (a comparison of runs from different experiments): the columns.
  return ROW_FIELDS.filter((f) => new Set(rows.map((r) => JSON.stringify(f.value(r) ?? null))).size > 1);
}

/** Up to `count` round ticks between min and max (inclusive ends). */
function linearTicks(min: number, max: number, count = 5): number[] {
  if (min === max) return [min];
  const step = 10 ** Math.floor(Math.log10((max - min) / count));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (max - min) / s <= count) ?? step * 10;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / nice) * nice; t <= max + nice * 1e-9; t += nice) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function axisOf(source: Source, title: string, rows: readonly RunRow[]) {
  const values = rows.map((r) => source.value(r));
  const numbers = values.filter(isNumber);
  const numeric = numbers.length > 0 && values.every((v) => v === undefined || isNumber(v));
  if (numeric) {
    const min = Math.min(...numbers);
    const max = Math.max(...numbers);
    const log = min > 0 && max / min >= LOG_SPAN;
    const scale = (x: number) => (log ? Math.log10(x) : x);
    const lo = scale(min);
    const hi = scale(max);
    const at = (x: number) => (hi === lo ? 0.5 : (scale(x) - lo) / (hi - lo));
    const tickValues = log
      ? linearTicks(Math.ceil(lo), Math.floor(hi), 6)
          .filter(Number.isInteger)
          .map((e) => 10 ** e)
      : linearTicks(min, max);
    // The runs' own values when there are few (a grid's 3 learning rates), else round numbers.
    const distinct = [...new Set(numbers)].sort((a, b) => a - b);
    const shown = distinct.length <= 6 ? distinct : tickValues;
    const axis: ParallelAxis = {
      key: source.key,
      title,
      path: source.path,
      kind: 'number',
      log,
      ticks: shown.map((v) => ({ at: at(v), text: formatSetting(v) })),
    };
    return { axis, position: (v: Value) => (isNumber(v) ? at(v) : undefined) };
  }
  const categories = [...new Set(values.filter((v) => v !== undefined).map(String))].sort();
  const at = (c: string) => (categories.length === 1 ? 0.5 : categories.indexOf(c) / (categories.length - 1));
  const axis: ParallelAxis = {
    key: source.key,
    title,
    path: source.path,
    kind: 'category',
    log: false,
    ticks: categories.map((c) => ({ at: at(c), text: c })),
  };
  return { axis, position: (v: Value) => (v === undefined ? undefined : at(String(v))) };
}

const valueText = (v: Value) => (v === undefined ? '–' : isNumber(v) ? formatSetting(v) : String(v));

/** The axes and lines of the compared runs; empty axes when fewer than two runs or nothing differs. */
export function parallelLayout(rows: readonly RunRow[]): ParallelLayout {
  const sources = rows.length < 2 ? [] : sourcesOf(rows);
  if (sources.length === 0) return { axes: [], lines: [] };
  const titles = shortTitles(sources.map((s) => s.path));
  const all = [...sources, PSNR];
  const built = all.map((s) => axisOf(s, s === PSNR ? 'test PSNR (dB)' : titles.get(s.path)!, rows));
  const lines = rows.map((row): ParallelLine => ({
    runDir: row.runDir,
    label: row.label ?? row.title ?? row.name,
    points: all.map((s, i) => built[i].position(s.value(row))),
    texts: all.map((s) => (s === PSNR && row.test ? row.test.psnr.toFixed(2) : valueText(s.value(row)))),
    psnr: row.test?.psnr,
  }));
  lines.sort((a, b) => (b.psnr ?? -Infinity) - (a.psnr ?? -Infinity));
  const psnrs = lines.flatMap((l) => (l.psnr === undefined ? [] : [l.psnr]));
  return {
    axes: built.map((b) => b.axis),
    lines,
    psnrRange: psnrs.length ? { min: Math.min(...psnrs), max: Math.max(...psnrs) } : undefined,
  };
}

/** What a line says: "lr=0.01 · batchSize=32 · test PSNR (dB)=14.21". */
export function lineDescription(layout: ParallelLayout, line: ParallelLine): string {
  return `${line.label}: ${layout.axes.map((a, i) => `${a.title} ${line.texts[i]}`).join(', ')}`;
}
