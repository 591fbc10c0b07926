/**
 * The dashboard's (and the report's) compare mode: any 2-4 of the image columns the comparison shows (clean,
 * noisy, each compared run's denoised digits, after the epoch its slider names) taken into the image compare
 * view, each column's digits as one montage. The figures shown are the runs' own test-set PSNR and SSIM, from
 * their summaries (the page computes none).
 */
import type { EncodedSamples, RunRow } from '../../src/protocol/webviewMessages';
import { samplesColumns, type SamplesColumn } from './compareColumns';
import { decodeBase64 } from '../../src/protocol/base64';
import { el } from '../dom';
import { imageCompareView, type CompareFigure, type CompareImage } from './compareView';
import { montage } from './montage';
import { toRgba } from './pixelReadout';

const MAX_CHOSEN = 4;

/** Labels of runs may repeat; a column is its field and, for outputs, its run. */
const keyOf = (c: SamplesColumn) => (c.field === 'denoised' ? `denoised ${c.row?.runDir ?? c.label}` : c.field);

export function samplesCompare(parent: HTMLElement): {
  update(runs: readonly { readonly row: RunRow; readonly samples: EncodedSamples }[]): void;
} {
  const choices = el('fieldset', { class: 'compare-choices' }, el('legend', {}, 'Images to compare (2-4)'));
  const list = el('div', { class: 'run-list' });
  choices.append(list);
  const details = el(
    'details',
    { class: 'samples-compare', 'data-testid': 'samples-compare' },
    el('summary', {}, 'Compare images closely (zoom, swipe, error map)'),
    choices,
  );
  parent.append(details);
  const view = imageCompareView(details, 'image-compare');
  let columns: readonly SamplesColumn[] = [];
  let chosen = new Set<string>();

  const boxes = () => Array.from(list.querySelectorAll<HTMLInputElement>('input[type=checkbox]'));

  function draw(): void {
    if (!details.open) return;
    const picked = columns.filter((c) => chosen.has(keyOf(c)));
    const images: CompareImage[] = [];
    const figures = new Map<number, CompareFigure>();
    for (const column of picked) {
      const text = column.samples[column.field];
      const bytes = text === undefined ? undefined : decodeBase64(text);
      if (!bytes) continue;
      const { count, height, width } = column.samples;
      const m = montage(count, height, width, bytes);
      const figure =
        column.field === 'noisy' ? column.row?.testNoisy : column.field === 'denoised' ? column.row?.test : undefined;
      if (figure) figures.set(images.length, figure);
      images.push({
        label: column.label,
        role: column.role,
        width: m.width,
        height: m.height,
        channels: 1,
        rgba: toRgba(m.pixels, 1),
      });
    }
    view.show(images);
    view.setFigures(figures, ' (whole test set)');
    for (const box of boxes()) box.disabled = !box.checked && chosen.size >= MAX_CHOSEN;
  }

  details.addEventListener('toggle', draw);
  return {
    update(runs) {
      const next = samplesColumns(runs);
      const keys = new Set(next.map(keyOf));
      const kept = [...chosen].filter((k) => keys.has(k));
      // First time (or nothing left of the choice): clean, noisy and the first run's output.
      chosen = new Set(kept.length >= 2 ? kept : next.slice(0, 3).map(keyOf));
      columns = next;
      details.hidden = next.length < 2;
      list.replaceChildren(
        ...next.map((column, i) => {
          const id = `compare-choice-${i}`;
          const key = keyOf(column);
          const box = el('input', { type: 'checkbox', id, value: key });
          box.checked = chosen.has(key);
          box.addEventListener('change', () => {
            if (box.checked) chosen.add(key);
            else chosen.delete(key);
            draw();
          });
          return el('div', { class: 'run-choice' }, box, el('label', { for: id }, column.label));
        }),
      );
      draw();
    },
  };
}
