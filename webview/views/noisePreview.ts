/** The noise preview: clean test images, each noise step alone with its values, and the combined input. */
import type { HostToWebview } from '../../src/protocol/webviewMessages';
import { button, el, section } from '../dom';
import type { PageHost } from '../host/pageHost';
import { drawImageColumns } from '../render/imageGrid';

type PreviewMessage = Extract<HostToWebview, { type: 'noisePreview' | 'noisePreviewError' }>;

/**
 * `reveal` says whether a new preview scrolls into view: yes unless a run trains (its charts are what the
 * user watches then), so a preview asked for never lands out of sight below empty charts.
 */
export function noisePreviewView(
  parent: HTMLElement,
  host: PageHost,
  reveal: () => boolean = () => true,
): (message: PreviewMessage) => void {
  const grid = el('div', { class: 'figures', 'data-testid': 'noise-grid' });
  const source = el(
    'p',
    { class: 'muted' },
    host.live ? 'Open an experiment (*.denoise.json) to see its noise.' : 'No noise preview in this report.',
  );
  const actions = host.live
    ? [
        el(
          'div',
          { class: 'actions' },
          button('Preview noise of the active experiment', () => host.post({ type: 'requestNoisePreview' })),
        ),
      ]
    : [];
  const panel = section('noise', 'Noise preview', source, ...actions, grid);
  parent.append(panel);
  return (message) => {
    if (reveal()) queueMicrotask(() => panel.scrollIntoView({ block: 'start' }));
    const file = message.configFile.split(/[\\/]/).pop();
    if (message.type === 'noisePreviewError') {
      source.textContent = `${file} cannot be previewed:`;
      grid.replaceChildren(
        el(
          'ul',
          { class: 'problems' },
          ...message.problems.map((p) => el('li', {}, p.path ? `${p.path}: ${p.message}` : p.message)),
        ),
      );
      return;
    }
    source.textContent = `${file}: each step alone on the clean images, then all steps in order (the model's input).`;
    grid.replaceChildren(
      ...message.columns.map((column) => {
        const canvas = el('canvas', { role: 'img', 'aria-label': `${column.label} ${column.detail}`.trim() });
        const figure = el(
          'figure',
          {},
          canvas,
          el('figcaption', {}, el('strong', {}, column.label), el('br'), column.detail),
        );
        // Drawn after insertion so the canvas can size itself to the figure.
        queueMicrotask(() => drawImageColumns(canvas, [column.images], 2));
        return figure;
      }),
    );
  };
}
