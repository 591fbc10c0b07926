/** The side panel: the latest reconstructions of the running (or last) run and its loss sparkline. */
import { sparkline } from '../charts/sparkline';
import { el, gridLabels } from '../dom';
import { drawImageColumns } from '../render/imageGrid';
import { sampleColumns } from '../render/sampleColumns';
import { statusLine, type RunState } from '../state/runState';
import type { ChartTheme } from '../theme';

/** The sparkline's points: validation loss per epoch, or batch losses until the first epoch ends. */
export function sparklinePoints(run: RunState | undefined): { x: number; y: number }[] {
  if (!run) return [];
  if (run.curve.length >= 2) return run.curve.map((p) => ({ x: p.epoch, y: p.valLoss }));
  return run.batches.map((b) => ({ x: b.x, y: b.loss }));
}

export function sidePanelView(parent: HTMLElement, theme: ChartTheme): (run: RunState | undefined) => void {
  const status = el('p', { class: 'run-status', role: 'status', 'data-testid': 'run-status' }, 'No run yet.');
  const spark = el('canvas', { 'data-testid': 'side-sparkline', role: 'img', 'aria-label': 'Loss per epoch' });
  const canvas = el('canvas', {
    'data-testid': 'side-reconstructions',
    role: 'img',
    'aria-label': 'Latest reconstructions: clean, noisy, denoised',
  });
  const caption = el('p', { class: 'muted' }, 'No sample images yet.');
  let labels = gridLabels(['clean', 'noisy', 'denoised']);
  parent.append(
    el(
      'section',
      { class: 'side', 'aria-label': 'Reconstructions' },
      status,
      el('div', { class: 'sparkline' }, spark),
      caption,
      el('div', { class: 'image-grid' }, labels, canvas),
    ),
  );
  const drawSpark = sparkline(spark, theme);
  let drawnSamples: unknown;
  return (run) => {
    status.textContent = statusLine(run);
    drawSpark(sparklinePoints(run));
    if (run?.samples && run.samples !== drawnSamples) {
      drawnSamples = run.samples;
      const { count, height, width } = run.samples.images;
      const columns = sampleColumns(run.samples.images);
      const shown = gridLabels(columns.map((c) => c.label));
      labels.replaceWith(shown);
      labels = shown;
      drawImageColumns(
        canvas,
        columns.map(({ pixels }) => ({ count, height, width, pixels })),
        2,
      );
      caption.textContent = `${run.name}, after epoch ${run.samples.epoch}`;
    }
  };
}
