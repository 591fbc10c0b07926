/** Training and validation loss per epoch, with the batch losses as a faint line behind them . */
import type { EpochPoint } from '../../src/protocol/webviewMessages';
import type { BatchPoint } from '../state/runState';
import { faint, type ChartTheme } from '../theme';
import { makeChart, type LineChart } from './chartSetup';

export function lossChart(
  canvas: HTMLCanvasElement,
  theme: ChartTheme,
): (curve: readonly EpochPoint[], batches: readonly BatchPoint[]) => void {
  const chart: LineChart = makeChart(
    canvas,
    {
      type: 'line',
      data: {
        datasets: [
          { label: 'train loss', data: [], borderWidth: 2, pointRadius: 2 },
          { label: 'validation loss', data: [], borderWidth: 2, pointRadius: 2 },
          { label: 'batch loss', data: [], borderWidth: 1, pointRadius: 0 },
        ],
      },
      options: {
        parsing: false,
        normalized: true,
        scales: {
          x: { type: 'linear', min: 0, title: { display: true, text: 'epoch' }, ticks: { precision: 0 } },
          // Linear: a log axis crowded its labels into an unreadable stack over the small range of a run's losses.
          y: { type: 'linear', title: { display: true, text: 'loss' } },
        },
        // A saved run has no batch losses: its legend entry is left out rather than naming an empty line.
        plugins: {
          legend: {
            position: 'bottom',
            labels: { boxWidth: 12, filter: (item, data) => data.datasets[item.datasetIndex ?? 0].data.length > 0 },
          },
        },
      },
    },
    (c, t) => {
      const [train, val, batch] = c.data.datasets;
      train.borderColor = train.backgroundColor = t.series[0];
      val.borderColor = val.backgroundColor = t.series[1];
      batch.borderColor = batch.backgroundColor = faint(t.series[0], t.highContrast ? 0.6 : 0.3);
    },
    theme,
  );
  return (curve, batches) => {
    chart.data.datasets[0].data = curve.map((p) => ({ x: p.epoch, y: p.trainLoss }));
    chart.data.datasets[1].data = curve.map((p) => ({ x: p.epoch, y: p.valLoss }));
    chart.data.datasets[2].data = batches.map((b) => ({ x: b.x, y: b.loss }));
    chart.update('none');
  };
}
