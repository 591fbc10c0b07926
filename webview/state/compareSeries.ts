import type { EpochPoint, RunRow } from '../../src/protocol/webviewMessages';

export type CompareMetric = 'valLoss' | 'trainLoss' | 'valPsnr' | 'valSsim';

export const COMPARE_METRICS: readonly { readonly key: CompareMetric; readonly title: string }[] = [
  { key: 'valLoss', title: 'Validation loss' },
  { key: 'trainLoss', title: 'Training loss' },
  { key: 'valPsnr', title: 'Validation PSNR (dB)' },
  { key: 'valSsim', title: 'Validation SSIM' },
];

export interface CompareAxis {
  readonly id: string;
  readonly title: string;
  readonly position: 'left' | 'right';
}

export interface CompareSeries {
  readonly label: string;
  readonly runDir: string;
  readonly colour: number;
  readonly axisId: string;
  readonly points: readonly { x: number; y: number }[];
}

/**
 * Colours that stay with a run: the first run seen gets the first free colour and keeps it whatever else is
 * compared later, so a run is recognised across comparisons. Freed colours are not reused while held.
 */
export class ColourBook {
  private readonly byRun = new Map<string, number>();

  colour(runDir: string): number {
    let colour = this.byRun.get(runDir);
    if (colour === undefined) {
      const used = new Set(this.byRun.values());
      colour = 0;
      while (used.has(colour)) colour++;
      this.byRun.set(runDir, colour);
    }
    return colour;
  }
}

const isLoss = (metric: CompareMetric) => metric === 'valLoss' || metric === 'trainLoss';

/**
 * The compared runs as chart series: losses of different kinds (MSE, BCE, MAE) on an axis each, since a
 * BCE near 0.6 flattens an MSE near 0.02 on a shared one; a log scale drops points that are not positive.
 */
export function compareSeries(
  runs: readonly { row: RunRow; curve: readonly EpochPoint[] }[],
  metric: CompareMetric,
  options: { log: boolean; colours: ColourBook },
): { series: CompareSeries[]; axes: CompareAxis[] } {
  const title = COMPARE_METRICS.find((m) => m.key === metric)!.title;
  const kinds = isLoss(metric) ? [...new Set(runs.map((r) => r.row.loss ?? 'loss'))] : [''];
  const axes = kinds.map((kind, i): CompareAxis => ({
    id: `y${i}`,
    title: kind ? `${title}: ${kind.toUpperCase()}` : title,
    position: i % 2 === 0 ? 'left' : 'right',
  }));
  const series = runs.map((r): CompareSeries => {
    const axis = isLoss(metric) ? kinds.indexOf(r.row.loss ?? 'loss') : 0;
    const points = r.curve
      .flatMap((p) => (p[metric] === undefined ? [] : [{ x: p.epoch, y: p[metric] }]))
      .filter((p) => Number.isFinite(p.y) && (!options.log || p.y > 0));
    const kind = isLoss(metric) && kinds.length > 1 ? ` (${(r.row.loss ?? 'loss').toUpperCase()})` : '';
    return {
      label: `${r.row.label ?? r.row.name}${kind}`,
      runDir: r.row.runDir,
      colour: options.colours.colour(r.row.runDir),
      axisId: `y${axis}`,
      points,
    };
  });
  return { series, axes };
}
