import { BENCH_SPECS, type BenchModel } from './benchModels';

/** One line of the benchmark: a model on an engine (or on PyTorch), or why it has no figure. */
export interface BenchRow {
  readonly model: BenchModel;
  /** A Denoise Lab engine, or 'pytorch' for the reference. */
  readonly engine: string;
  /**
   * ok: measured; unavailable: the engine did not start here; skipped: left out by an option; failed: training threw.
   */
  readonly status: 'ok' | 'unavailable' | 'skipped' | 'failed';
  readonly threads?: number;
  readonly samples?: number;
  readonly seconds?: number;
  readonly samplesPerSecond?: number;
  /** samples/s over PyTorch's samples/s for the same model in the same run. */
  readonly ratioToPytorch?: number;
  readonly peakRssMB?: number;
  /** Denoise Lab's rows: the peak when timing began; peakRssMB above it means the timed steps grew memory. */
  readonly warmPeakRssMB?: number;
  /** What ran the steps (the run log's line): a direct path, the oneDNN plan, or the tape. */
  readonly steps?: string;
  readonly note?: string;
}

export interface BenchReport {
  readonly date: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly loadAverage: readonly number[];
    readonly node: string;
    readonly tfjs: string;
  };
  readonly data: string;
  readonly warmupBatches: number;
  readonly rows: readonly BenchRow[];
}

/** Adds each row's ratio to the PyTorch row of its model, when both were measured. */
export function withRatios(rows: readonly BenchRow[]): BenchRow[] {
  return rows.map((row) => {
    const reference = rows.find((r) => r.model === row.model && r.engine === 'pytorch' && r.status === 'ok');
    if (row.status !== 'ok' || !reference?.samplesPerSecond || !row.samplesPerSecond) return row;
    return { ...row, ratioToPytorch: row.samplesPerSecond / reference.samplesPerSecond };
  });
}

const MODEL_LABEL = Object.fromEntries(
  Object.entries(BENCH_SPECS).map(([model, spec]) => [model, spec.label]),
) as Record<BenchModel, string>;

function fixed(n: number | undefined, digits: number): string {
  return n === undefined
    ? '-'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** samples/s to three significant figures (DnCNN-17's inference reads 0.19 images/s, which `fixed(_, 0)` made 0). */
export function rate(n: number | undefined): string {
  if (n === undefined) return '-';
  return fixed(n, n >= 100 ? 0 : n >= 10 ? 1 : n >= 1 ? 2 : 3);
}

/** The report as an aligned text table, with the notes of rows that have no figure underneath. */
export function formatTable(report: BenchReport): string {
  const header = ['model', 'engine', 'threads', 'samples/s', 'x PyTorch', 'peak RSS MB'];
  const body = report.rows.map((r) => [
    MODEL_LABEL[r.model],
    r.engine,
    r.threads === undefined ? '-' : String(r.threads),
    r.status === 'ok' ? rate(r.samplesPerSecond) : r.status,
    r.ratioToPytorch === undefined ? '-' : `${fixed(r.ratioToPytorch, 2)}x`,
    fixed(r.peakRssMB, 0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  const notes = report.rows.filter((r) => r.note).map((r) => `- ${MODEL_LABEL[r.model]} on ${r.engine}: ${r.note}`);
  const m = report.machine;
  return [
    `${m.cpus} CPU(s) ${m.cpuModel}, load average ${m.loadAverage.map((l) => l.toFixed(2)).join(' ')} at start; Node ${m.node}, TensorFlow.js ${m.tfjs}`,
    `data: ${report.data}; ${report.warmupBatches} warm-up batch(es) before timing`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}
