/** Validation loss of several runs overlaid, one colour per run (the theme's six, then repeated dashed). */
import type { EpochPoint } from '../../src/protocol/webviewMessages';
import type { ChartTheme } from '../theme';
import { makeChart, type LineChart } from './chartSetup';

export function compareChart(canvas: HTMLCanvasElement, theme: ChartTheme): (runs: readonly { name: string; curve: readonly EpochPoint[] }[]) => void {
  let current = theme;
  const colour = (c: LineChart, t: ChartTheme) => {
    c.data.datasets.forEach((d, i) => {
      d.borderColor = d.backgroundColor = t.series[i % t.series.length];
      (d as { borderDash?: number[] }).borderDash = i >= t.series.length ? [6, 3] : [];
    });
    current = t;
  };
  const chart: LineChart = makeChart(
    canvas,
    {
      type: 'line',
      data: { datasets: [] },
      options: {
        parsing: false,
        scales: {
          x: { type: 'linear', min: 0, title: { display: true, text: 'epoch' }, ticks: { precision: 0 } },
          // Linear: a log axis crowded its labels into an unreadable stack over the small range of a run's losses.
          y: { type: 'linear', title: { display: true, text: 'validation loss' } },
        },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
      },
    },
    colour,
    theme,
  );
  return (runs) => {
    chart.data.datasets = runs.map((r) => ({ label: r.name, data: r.curve.map((p) => ({ x: p.epoch, y: p.valLoss })), borderWidth: 2, pointRadius: 2 }));
    colour(chart, current);
    chart.update('none');
  };
}
