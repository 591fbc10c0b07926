/** The seed report's generation experiment: what the model makes of a blank input and of random inputs. */
import type { HostToWebview } from '../../src/protocol/webviewMessages';
import { el, gridLabels, section } from '../dom';
import { drawImageColumns } from '../render/imageGrid';

export function generationView(parent: HTMLElement): (message: Extract<HostToWebview, { type: 'generation' }>) => void {
  const note = el(
    'p',
    { class: 'muted' },
    'When a run finishes, its output for a blank input (first row) and for random inputs appears here.',
  );
  const canvas = el('canvas', {
    'data-testid': 'generation-grid',
    role: 'img',
    'aria-label': 'Generation: inputs and the model outputs',
  });
  let labels: HTMLElement = el('div');
  parent.append(section('generation', 'Generation', note, el('div', { class: 'image-grid' }, labels, canvas)));
  return (message) => {
    note.textContent = `${message.runName}: first row a blank input, then random inputs. ${message.columns
      .map((c) => c.detail)
      .filter(Boolean)
      .join(' ')}`.trim();
    // Each message replaces the labels shown (a VAE's has four columns: input, output, latent samples, interpolation).
    const next = gridLabels(message.columns.map((c) => c.label));
    labels.replaceWith(next);
    labels = next;
    // Twice the size: the blank and random rows make a tall grid.
    drawImageColumns(
      canvas,
      message.columns.map((c) => c.images),
      2,
    );
  };
}
