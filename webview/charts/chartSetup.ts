/**
 * Chart.js with only the parts the page uses registered (tree-shaken: no bar, pie or time scale code; the log scale
 * is the sparkline's),
 * and defaults that suit a small webview: no animation (charts redraw up to ten times a second), the
 * theme's colours. Chart.js draws on canvas and uses no eval, so the strict CSP holds.
 */
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import type { ChartTheme } from '../theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.font.size = 11;

/** Every chart of the page is a line chart of {x, y} points. */
export type LineChart = Chart<'line', { x: number; y: number }[]>;

const charts = new Set<LineChart>();

/** Applies the theme's colours to every chart (and to charts created later). */
export function applyTheme(theme: ChartTheme): void {
  Chart.defaults.color = theme.foreground;
  Chart.defaults.borderColor = theme.grid;
  for (const chart of charts) {
    for (const scale of Object.values(chart.options.scales ?? {})) {
      if (!scale) continue;
      if (scale.ticks) scale.ticks.color = theme.foreground;
      if (scale.grid) scale.grid.color = theme.grid;
      const title = (scale as { title?: { color?: string } }).title;
      if (title) title.color = theme.foreground;
    }
    if (chart.options.plugins?.legend?.labels) chart.options.plugins.legend.labels.color = theme.foreground;
    const recolour = (chart as unknown as { recolour?: (t: ChartTheme) => void }).recolour;
    recolour?.(theme);
    chart.update('none');
  }
}

/** Makes a chart and keeps it for theme changes; `recolour` sets its series colours from a theme. */
export function makeChart(
  canvas: HTMLCanvasElement,
  config: ChartConfiguration<'line', { x: number; y: number }[]>,
  recolour: (chart: LineChart, theme: ChartTheme) => void,
  theme: ChartTheme,
): LineChart {
  const chart = new Chart(canvas, config);
  (chart as unknown as { recolour: (t: ChartTheme) => void }).recolour = (t) => recolour(chart, t);
  recolour(chart, theme);
  chart.update('none');
  charts.add(chart);
  return chart;
}
