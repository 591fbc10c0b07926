/**
 * The image compare view: 2-4 images of one size side by side, or a swipe between two, zoomed from fit to
 * 1:1 and beyond with crisp pixels, panned in step, the pixel values under the pointer, and an error map
 * |output − clean| with its colour scale. Used by the before/after panel, the dashboard's comparison and the
 * standalone report; it is given decoded pixels and never asks for anything.
 *
 * Each image (and each error map) is put into its own offscreen canvas once; a frame only draws the part of
 * it that shows into each pane with a transform (viewTransform.ts), so panning a 12-megapixel image costs
 * what the pane's size costs, and nothing is decoded or encoded again.
 */
import './compare.css';
import type { CompareImageInfo } from '../../src/protocol/webviewMessages';
import { button, el } from '../dom';
import { errorMagnitudes, errorMapRgba, errorScaleTop, scaleColour } from './errorMap';
import { readoutLine, type Pixels } from './pixelReadout';
import {
  actualSize,
  clampView,
  fitView,
  imagePixelAt,
  panBy,
  visibleRect,
  wheelFactor,
  zoomAbout,
  zoomLabel,
  ZOOM_STEP,
  type Size,
  type View,
} from './viewTransform';

export type CompareImage = Omit<CompareImageInfo, 'channels'> & Pixels;

/** PSNR and SSIM of an image against the clean one, and what they were measured on. */
export interface CompareFigure {
  readonly psnr: number;
  readonly ssim: number;
}

export interface ImageCompareView {
  readonly element: HTMLElement;
  /** Shows new images (2-4 of one size; a single one is shown alone), keeping the zoom when the size is the same. */
  show(images: readonly CompareImage[]): void;
  /** Figures per image index; `note` says what they were measured on. */
  setFigures(figures: ReadonlyMap<number, CompareFigure>, note?: string): void;
}

interface Source {
  readonly image: CompareImage;
  readonly canvas: HTMLCanvasElement;
  /** The error map against the clean image, made when first asked for. */
  error?: { canvas: HTMLCanvasElement; magnitudes: Uint8Array; top: number };
}

/** Pixels one arrow key press pans by, in pane pixels (shift: a whole pane's width). */
const ARROW_STEP = 40;

function offscreen(width: number, height: number, rgba: Uint8ClampedArray<ArrayBuffer>): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.putImageData(new ImageData(rgba, width, height), 0, 0);
  return canvas;
}

export function imageCompareView(parent: HTMLElement, testId = 'image-compare'): ImageCompareView {
  const layout = el(
    'select',
    { 'data-testid': `${testId}-layout`, 'aria-label': 'Layout' },
    el('option', { value: 'side' }, 'Side by side'),
    el('option', { value: 'swipe' }, 'Swipe'),
  );
  const left = el('select', { 'aria-label': 'Image on the left of the swipe', 'data-testid': `${testId}-swipe-a` });
  const right = el('select', { 'aria-label': 'Image on the right of the swipe', 'data-testid': `${testId}-swipe-b` });
  const pair = el('span', { class: 'compare-pair' }, left, ' | ', right);
  const errorBox = el('input', { type: 'checkbox', id: `${testId}-error`, 'data-testid': `${testId}-error-map` });
  const errorToggle = el('span', {}, errorBox, el('label', { for: `${testId}-error` }, ' error map'));
  const zoomText = el('span', { class: 'compare-zoom', 'data-testid': `${testId}-zoom`, 'aria-live': 'polite' });
  const panes = el('div', {
    class: 'compare-panes',
    tabindex: '0',
    role: 'application',
    'aria-roledescription': 'image comparison',
    'aria-label': 'Images in step: drag or arrow keys to pan, wheel or + and − to zoom, 0 to fit, 1 for one to one',
  });
  const swipe = el('input', {
    type: 'range',
    min: '0',
    max: '1000',
    value: '500',
    class: 'compare-swipe',
    'data-testid': `${testId}-swipe`,
    'aria-label': 'Swipe position',
  });
  const readout = el('div', { class: 'compare-readout', 'data-testid': `${testId}-readout` }, '\u00a0');
  const legendBar = el('canvas', { class: 'compare-legend-bar', width: '256', height: '1', 'aria-hidden': 'true' });
  const legendTop = el('span', {});
  const legend = el(
    'div',
    { class: 'compare-legend', 'data-testid': `${testId}-legend` },
    el('span', {}, '|output − clean| 0'),
    legendBar,
    legendTop,
  );
  const element = el(
    'div',
    { class: 'image-compare', 'data-testid': testId },
    el(
      'div',
      { class: 'actions compare-toolbar' },
      el('label', {}, 'Layout ', layout),
      pair,
      errorToggle,
      // One group, so a narrow panel wraps the toolbar before the zoom controls, never inside them.
      el(
        'span',
        { class: 'compare-zoom-controls', role: 'group', 'aria-label': 'Zoom' },
        button('−', () => zoomCentre(1 / ZOOM_STEP), { 'aria-label': 'Zoom out' }),
        button('Fit', () => fit(), { 'data-testid': `${testId}-fit` }),
        button('1:1', () => setView(actualSize(view, size, paneSize())), { 'data-testid': `${testId}-actual` }),
        button('+', () => zoomCentre(ZOOM_STEP), { 'aria-label': 'Zoom in' }),
        zoomText,
      ),
    ),
    panes,
    swipe,
    readout,
    legend,
  );
  parent.append(element);
  drawLegendBar(legendBar);

  let sources: Source[] = [];
  let paneCanvases: { canvas: HTMLCanvasElement; caption: HTMLElement }[] = [];
  let size: Size = { width: 1, height: 1 };
  let view: View = { scale: 1, x: 0, y: 0 };
  let fitted = true;
  let figures: ReadonlyMap<number, CompareFigure> = new Map();
  let figureNote = '';
  let frame = 0;
  let pointer: { x: number; y: number } | undefined;

  const clean = () => sources.findIndex((s) => s.image.role === 'clean');
  const swiping = () => layout.value === 'swipe' && sources.length >= 2;
  const showErrors = () => errorBox.checked && clean() >= 0;

  function paneSize(): Size {
    const canvas = paneCanvases[0]?.canvas;
    return { width: canvas?.clientWidth || 1, height: canvas?.clientHeight || 1 };
  }

  /** What each pane shows: an image index (swipe: the two of the pair in one pane). */
  function paneContents(): number[][] {
    if (swiping()) return [[Number(left.value), Number(right.value)]];
    return sources.map((_, i) => [i]);
  }

  function errorOf(index: number): Source['error'] {
    const source = sources[index];
    const reference = sources[clean()];
    if (!source || !reference || index === clean()) return undefined;
    if (!source.error) {
      const magnitudes = errorMagnitudes(reference.image, source.image);
      const top = errorScaleTop(magnitudes);
      const canvas = offscreen(size.width, size.height, errorMapRgba(magnitudes, top));
      source.error = { canvas, magnitudes, top };
    }
    return source.error;
  }

  function canvasOf(index: number): HTMLCanvasElement {
    return (showErrors() && errorOf(index)?.canvas) || sources[index].canvas;
  }

  function caption(index: number): string {
    const source = sources[index];
    const figure = figures.get(index);
    const error = showErrors() ? errorOf(index) : undefined;
    const parts = [error ? `|${source.image.label} − clean|` : source.image.label];
    if (figure) parts.push(`PSNR ${figure.psnr.toFixed(2)} dB · SSIM ${figure.ssim.toFixed(4)}${figureNote}`);
    return parts.join(' · ');
  }

  function buildPanes(): void {
    const contents = paneContents();
    paneCanvases = contents.map((indices) => {
      const canvas = el('canvas', { role: 'img' });
      const captionEl = el('figcaption', {});
      canvas.setAttribute('aria-label', indices.map((i) => sources[i]?.image.label ?? '').join(' | '));
      return { canvas, caption: captionEl };
    });
    panes.replaceChildren(...paneCanvases.map((p) => el('figure', { class: 'compare-pane' }, p.canvas, p.caption)));
    panes.dataset.count = String(paneCanvases.length);
    pair.hidden = !swiping();
    swipe.hidden = !swiping();
    errorToggle.hidden = clean() < 0 || sources.length < 2;
    legend.hidden = !showErrors();
  }

  function redraw(): void {
    frame = 0;
    const pane = paneSize();
    const dpr = window.devicePixelRatio || 1;
    const rect = visibleRect(view, size, pane);
    const contents = paneContents();
    paneCanvases.forEach(({ canvas, caption: captionEl }, p) => {
      const width = Math.round(pane.width * dpr);
      const height = Math.round(pane.height * dpr);
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      const context = canvas.getContext('2d')!;
      context.setTransform(dpr, 0, 0, dpr, 0, 0);
      context.clearRect(0, 0, pane.width, pane.height);
      // Crisp pixels from 1:1 up; below it smoothing averages the pixels a screen pixel covers instead of
      // picking one of them, which would show noise that is not there.
      context.imageSmoothingEnabled = view.scale < 1;
      const indices = contents[p];
      if (rect) {
        const draw = (index: number) =>
          context.drawImage(canvasOf(index), rect.sx, rect.sy, rect.sw, rect.sh, rect.dx, rect.dy, rect.dw, rect.dh);
        draw(indices[indices.length - 1]);
        if (indices.length === 2) {
          const split = (Number(swipe.value) / 1000) * pane.width;
          context.save();
          context.beginPath();
          context.rect(0, 0, split, pane.height);
          context.clip();
          draw(indices[0]);
          context.restore();
          context.fillStyle = getComputedStyle(element).getPropertyValue('--compare-divider') || '#fff';
          context.fillRect(Math.round(split) - 1, 0, 2, pane.height);
        }
      }
      captionEl.textContent = indices.map(caption).join('  |  ');
    });
    zoomText.textContent = zoomLabel(view, size, pane);
    writeReadout();
  }

  function schedule(): void {
    if (!frame) frame = requestAnimationFrame(redraw);
  }

  function setView(next: View, isFit = false): void {
    view = next;
    fitted = isFit;
    schedule();
  }

  function fit(): void {
    setView(fitView(size, paneSize()), true);
  }

  function zoomCentre(factor: number): void {
    const pane = paneSize();
    setView(zoomAbout(view, factor, pane.width / 2, pane.height / 2, size, pane));
  }

  function writeReadout(): void {
    const at = pointer && imagePixelAt(view, pointer.x, pointer.y, size);
    if (!at || !sources.length) {
      readout.textContent = sources.length ? 'Point at the image for pixel values (0-255).' : '\u00a0';
      return;
    }
    const errors = showErrors()
      ? sources.flatMap((s, i) => {
          const error = errorOf(i);
          return error ? [{ label: `|${s.image.label} − clean|`, values: error.magnitudes }] : [];
        })
      : [];
    readout.textContent = readoutLine(
      sources.map((s) => s.image),
      at.x,
      at.y,
      errors,
    );
  }

  function paneTarget(event: PointerEvent | WheelEvent): { x: number; y: number } | undefined {
    const canvas = (event.target as HTMLElement).closest('.compare-pane')?.querySelector('canvas');
    if (!canvas) return undefined;
    // Pane coordinates start inside the canvas's border, where its drawing does.
    const box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left - canvas.clientLeft, y: event.clientY - box.top - canvas.clientTop };
  }

  let drag: { x: number; y: number } | undefined;
  panes.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY };
    panes.setPointerCapture(event.pointerId);
    panes.classList.add('dragging');
  });
  panes.addEventListener('pointermove', (event) => {
    if (drag) {
      setView(panBy(view, event.clientX - drag.x, event.clientY - drag.y, size, paneSize()));
      drag = { x: event.clientX, y: event.clientY };
    }
    pointer = paneTarget(event) ?? pointer;
    if (!drag) writeReadout();
  });
  const endDrag = () => {
    drag = undefined;
    panes.classList.remove('dragging');
  };
  panes.addEventListener('pointerup', endDrag);
  panes.addEventListener('pointercancel', endDrag);
  panes.addEventListener('pointerleave', () => {
    pointer = undefined;
    writeReadout();
  });
  panes.addEventListener(
    'wheel',
    (event) => {
      const at = paneTarget(event);
      if (!at || !sources.length) return;
      event.preventDefault();
      setView(zoomAbout(view, wheelFactor(event.deltaY), at.x, at.y, size, paneSize()));
    },
    { passive: false },
  );
  panes.addEventListener('keydown', (event) => {
    const pane = paneSize();
    const step = event.shiftKey ? pane.width : ARROW_STEP;
    const keys: Record<string, () => void> = {
      '+': () => zoomCentre(ZOOM_STEP),
      '=': () => zoomCentre(ZOOM_STEP),
      '-': () => zoomCentre(1 / ZOOM_STEP),
      '0': () => fit(),
      '1': () => setView(actualSize(view, size, pane)),
      ArrowLeft: () => setView(panBy(view, step, 0, size, pane)),
      ArrowRight: () => setView(panBy(view, -step, 0, size, pane)),
      ArrowUp: () => setView(panBy(view, 0, step, size, pane)),
      ArrowDown: () => setView(panBy(view, 0, -step, size, pane)),
    };
    const action = keys[event.key];
    if (!action || !sources.length) return;
    event.preventDefault();
    action();
  });

  const rebuild = () => {
    buildPanes();
    refit();
  };
  /** After the panes change size: the fitted view stays fitted, a zoomed one stays where it was. */
  function refit(): void {
    if (fitted) fit();
    else setView(clampView(view, size, paneSize()));
  }
  layout.addEventListener('change', rebuild);
  left.addEventListener('change', rebuild);
  right.addEventListener('change', rebuild);
  errorBox.addEventListener('change', () => {
    legend.hidden = !showErrors();
    legendTop.textContent = legendText();
    schedule();
  });
  swipe.addEventListener('input', schedule);
  new ResizeObserver(() => sources.length && refit()).observe(panes);

  function legendText(): string {
    const tops = sources.map((_, i) => (showErrors() ? errorOf(i)?.top : undefined)).filter((t) => t !== undefined);
    return tops.length ? ` ${Math.max(...tops)} and above (0-255 levels)` : '';
  }

  function fillPair(): void {
    const options = () => sources.map((s, i) => el('option', { value: String(i) }, s.image.label));
    const keepA = left.value;
    const keepB = right.value;
    left.replaceChildren(...options());
    right.replaceChildren(...options());
    // Default swipe: the noisy input against the first output, or the first two images.
    const noisy = sources.findIndex((s) => s.image.role === 'noisy');
    const output = sources.findIndex((s) => s.image.role === 'denoised' || s.image.role === 'output');
    const valid = (value: string) => value !== '' && Number(value) < sources.length;
    const a = valid(keepA) ? keepA : String(noisy >= 0 ? noisy : 0);
    const b =
      valid(keepB) && keepB !== a ? keepB : String(output >= 0 && output !== Number(a) ? output : a === '0' ? 1 : 0);
    left.value = a;
    right.value = b;
  }

  return {
    element,
    show(images) {
      const sameSize = images[0]?.width === size.width && images[0]?.height === size.height;
      size = { width: images[0]?.width ?? 1, height: images[0]?.height ?? 1 };
      sources = images
        .filter((image) => image.width === size.width && image.height === size.height)
        .map((image) => ({ image, canvas: offscreen(image.width, image.height, image.rgba) }));
      figures = new Map();
      fillPair();
      legendTop.textContent = legendText();
      buildPanes();
      if (sameSize && !fitted) setView(clampView(view, size, paneSize()));
      else fit();
      // Drawn at once (not at the next frame) so the first picture is up as soon as the pixels are.
      redraw();
    },
    setFigures(next, note = '') {
      figures = next;
      figureNote = note;
      schedule();
    },
  };
}

function drawLegendBar(canvas: HTMLCanvasElement): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const data = new ImageData(256, 1);
  for (let i = 0; i < 256; i++) {
    data.data.set(scaleColour(i / 255), i * 4);
    data.data[i * 4 + 3] = 255;
  }
  context.putImageData(data, 0, 0);
}
