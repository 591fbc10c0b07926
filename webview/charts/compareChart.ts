/**
 * The compared runs' curves: a metric chosen by the page, one y axis per loss kind, optionally logarithmic,
 * each run in the colour it keeps (the theme's six, then the same dashed).
 */
import type { ChartTheme } from '../theme';
import type { CompareAxis, CompareSeries } from '../state/compareSeries';
import { makeChart, type LineChart } from './chartSetup';

export function compareChart(
  canvas: HTMLCanvasElement,
  theme: ChartTheme,
): (series: readonly CompareSeries[], axes: readonly CompareAxis[], log: boolean) => void {
  let current = theme;
  let shown: readonly CompareSeries[] = [];
  const colour = (c: LineChart, t: ChartTheme) => {
    c.data.datasets.forEach((d, i) => {
      const index = shown[i]?.colour ?? i;
      d.borderColor = d.backgroundColor = t.series[index % t.series.length];
      (d as { borderDash?: number[] }).borderDash = index >= t.series.length ? [6, 3] : [];
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
        scales: { x: { type: 'linear', min: 0, title: { display: true, text: 'epoch' }, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
      },
    },
    colour,
    theme,
  );
  return (series, axes, log) => {
    shown = series;
    const x = chart.options.scales!.x!;
    chart.options.scales = { x };
    for (const axis of axes) {
      chart.options.scales[axis.id] = {
        type: log ? 'logarithmic' : 'linear',
        position: axis.position,
        title: { display: true, text: axis.title, color: current.foreground },
        ticks: { color: current.foreground, maxTicksLimit: 6 },
        grid: { color: current.grid, drawOnChartArea: axis.position === 'left' },
      };
    }
    chart.data.datasets = series.map((s) => ({
      label: s.label,
      data: [...s.points],
      yAxisID: s.axisId,
      borderWidth: 2,
      pointRadius: 2,
    }));
    colour(chart, current);
    chart.update('none');
  };
}
