/** A loss sparkline for the side panel: validation loss per epoch, batch loss while the first epoch runs. */
import type { ChartTheme } from '../theme';
import { makeChart, type LineChart } from './chartSetup';

export function sparkline(
  canvas: HTMLCanvasElement,
  theme: ChartTheme,
): (points: readonly { x: number; y: number }[]) => void {
  const chart: LineChart = makeChart(
    canvas,
    {
      type: 'line',
      data: { datasets: [{ label: 'loss', data: [], borderWidth: 2, pointRadius: 0 }] },
      options: {
        parsing: false,
        scales: { x: { type: 'linear', display: false }, y: { type: 'logarithmic', display: false } },
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        layout: { padding: 2 },
      },
    },
    (c, t) => {
      c.data.datasets[0].borderColor = t.series[0];
    },
    theme,
  );
  return (points) => {
    chart.data.datasets[0].data = points.map((p) => ({ x: p.x, y: p.y }));
    chart.update('none');
  };
}
