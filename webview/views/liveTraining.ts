/** Live training: status line with Stop, loss and PSNR/SSIM charts, and the latest clean | noisy | denoised grid. */
import { lossChart } from '../charts/lossChart';
import { metricsChart } from '../charts/metricsChart';
import { button, chartBox, el, gridLabels, section } from '../dom';
import type { PageHost } from '../host/pageHost';
import { drawImageColumns } from '../render/imageGrid';
import { sampleColumns } from '../render/sampleColumns';
import { finalResults } from '../state/finalResults';
import { statusLine, type RunState } from '../state/runState';
import type { ChartTheme } from '../theme';

export function liveTrainingView(
  parent: HTMLElement,
  host: PageHost,
  theme: ChartTheme,
): (run: RunState | undefined) => void {
  const status = el('p', { 'data-testid': 'run-status', role: 'status', class: 'run-status' }, statusLine(undefined));
  let shownRunId: string | undefined;
  const stop = button('Stop', () => shownRunId && host.post({ type: 'stopRun', runId: shownRunId }), {
    'data-testid': 'stop-button',
    'aria-label': 'Stop the run after the current batch',
    class: 'danger',
  });
  stop.disabled = true;
  const loss = chartBox('loss-chart', 'Training and validation loss per epoch');
  const metrics = chartBox('metrics-chart', 'Validation PSNR and SSIM per epoch');
  const recon = el('canvas', {
    'data-testid': 'reconstruction-grid',
    role: 'img',
    'aria-label': 'Sample test images: clean, noisy, denoised',
  });
  const results = el('div', { class: 'final-results', 'data-testid': 'final-results' });
  results.hidden = true;
  const reconTitle = el('h3', {}, 'Reconstructions');
  let labels = gridLabels(['clean', 'noisy', 'denoised']);
  const reconBox = el('div', { class: 'image-grid' }, labels, recon);
  parent.append(
    section(
      'live',
      'Training',
      el('div', { class: 'status-row' }, status, stop),
      results,
      el('div', { class: 'charts' }, loss.box, metrics.box),
      el('div', { class: 'recon' }, reconTitle, reconBox),
    ),
  );
  const drawLoss = lossChart(loss.canvas, theme);
  const drawMetrics = metricsChart(metrics.canvas, theme);
  let drawnSamples: unknown;

  return (run) => {
    status.textContent = statusLine(run);
    shownRunId = run?.runId;
    stop.disabled = !host.live || !run || run.phase === 'ended';
    // A run that has ended has nothing to stop: the button goes, rather than staying as a grey control.
    stop.hidden = !host.live || run?.phase === 'ended';
    const final = run?.phase === 'ended' ? finalResults(run.row) : undefined;
    results.hidden = !final;
    results.replaceChildren(
      ...(final?.warning ? [el('p', { class: 'warning', role: 'alert' }, final.warning)] : []),
      ...(final?.lines ?? []).map((line) => el('p', {}, line)),
    );
    drawLoss(run?.curve ?? [], run?.batches ?? []);
    drawMetrics(run?.curve ?? []);
    // A run without clean images (Noise2Void on noisy data) measures no PSNR or SSIM: its training loss is all.
    metrics.box.hidden = (run?.curve.length ?? 0) > 0 && run!.curve.every((p) => p.valPsnr === undefined);
    if (run?.samples && run.samples !== drawnSamples) {
      drawnSamples = run.samples;
      const { count, height, width } = run.samples.images;
      const columns = sampleColumns(run.samples.images);
      const shown = gridLabels(columns.map((c) => c.label));
      labels.replaceWith(shown);
      labels = shown;
      recon.setAttribute('aria-label', `Sample test images: ${columns.map((c) => c.label).join(', ')}`);
      drawImageColumns(
        recon,
        columns.map(({ pixels }) => ({ count, height, width, pixels })),
      );
      reconTitle.textContent = `Reconstructions after epoch ${run.samples.epoch}`;
    }
  };
}
