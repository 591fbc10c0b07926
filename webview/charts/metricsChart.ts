/** Validation PSNR (left axis, dB) and SSIM (right axis, 0-1) per epoch. */
import type { EpochPoint } from '../../src/protocol/webviewMessages';
import type { ChartTheme } from '../theme';
import { makeChart, type LineChart } from './chartSetup';

export function metricsChart(canvas: HTMLCanvasElement, theme: ChartTheme): (curve: readonly EpochPoint[]) => void {
  const chart: LineChart = makeChart(
    canvas,
    {
      type: 'line',
      data: {
        datasets: [
          { label: 'validation PSNR (dB)', data: [], yAxisID: 'psnr', borderWidth: 2, pointRadius: 2 },
          { label: 'validation SSIM', data: [], yAxisID: 'ssim', borderWidth: 2, pointRadius: 2, borderDash: [5, 3] },
        ],
      },
      options: {
        parsing: false,
        scales: {
          x: { type: 'linear', min: 0, title: { display: true, text: 'epoch' }, ticks: { precision: 0 } },
          psnr: { type: 'linear', position: 'left', title: { display: true, text: 'PSNR (dB)' } },
          ssim: {
            type: 'linear',
            position: 'right',
            min: 0,
            max: 1,
            title: { display: true, text: 'SSIM' },
            grid: { drawOnChartArea: false },
          },
        },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
      },
    },
    (c, t) => {
      const [psnr, ssim] = c.data.datasets;
      psnr.borderColor = psnr.backgroundColor = t.series[2];
      ssim.borderColor = ssim.backgroundColor = t.series[5];
    },
    theme,
  );
  return (curve) => {
    // Epochs without a clean reference have no PSNR or SSIM: no point rather than a zero.
    const points = (y: (p: EpochPoint) => number | undefined) =>
      curve.flatMap((p) => (y(p) === undefined ? [] : [{ x: p.epoch, y: y(p)! }]));
    chart.data.datasets[0].data = points((p) => p.valPsnr);
    chart.data.datasets[1].data = points((p) => p.valSsim);
    chart.update('none');
  };
}
