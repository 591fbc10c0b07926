/**
 * Parallel coordinates of compared runs: an axis per hyper-parameter that differs, then test PSNR, a line
 * per run coloured by its test PSNR. Hand-written SVG: Chart.js has no parallel-coordinates chart (the
 * plugin that adds one is not a dependency), and a few axes and lines need no library. Colours are CSS
 * variables of the theme, so a theme switch restyles it without a redraw.
 *
 * Keyboard: the chart is one tab stop; ↑/↓ (or ←/→) move between runs, best PSNR first, Home/End jump, and
 * the line under focus is spelled out below the chart. Narrower than its axes need, it scrolls sideways.
 */
import type { RunRow } from '../../src/protocol/webviewMessages';
import './parallelCoordinates.css';
import { el } from '../dom';
import { lineDescription, parallelLayout, type ParallelLayout } from '../state/parallelAxes';

const SVG = 'http://www.w3.org/2000/svg';
/** Horizontal room an axis needs for its ticks' text. */
const AXIS_SPACING = 90;
const HEIGHT = 240;
const MARGIN = { top: 34, bottom: 14, left: 12, right: 12 };

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The line's colour: orange for the lowest test PSNR, blue for the highest (distinct for colour-blind eyes). */
function strokeOf(psnr: number | undefined, range: ParallelLayout['psnrRange']): string {
  if (psnr === undefined || !range) return 'var(--vscode-descriptionForeground)';
  const share = range.max === range.min ? 1 : (psnr - range.min) / (range.max - range.min);
  const blue = Math.round(share * 100);
  return `color-mix(in srgb, var(--vscode-charts-blue) ${blue}%, var(--vscode-charts-orange))`;
}

export interface ParallelCoordinatesView {
  readonly box: HTMLElement;
  show(rows: readonly RunRow[]): void;
}

export function parallelCoordinatesView(): ParallelCoordinatesView {
  const wrap = el('div', { class: 'parallel-wrap' });
  const readout = el('p', {
    class: 'muted parallel-readout',
    'aria-live': 'polite',
    'data-testid': 'parallel-readout',
  });
  const legend = el('p', { class: 'muted parallel-legend' });
  const box = el(
    'div',
    { class: 'parallel', 'data-testid': 'parallel-coordinates' },
    el('h3', {}, 'Hyper-parameters → test PSNR'),
    legend,
    wrap,
    readout,
  );
  let layout: ParallelLayout = { axes: [], lines: [] };
  let focused = 0;
  let drawnWidth = 0;

  function highlight(index: number, announce: boolean): void {
    focused = Math.max(0, Math.min(layout.lines.length - 1, index));
    // The paths are in drawing order (worst first); data-index is their place among the lines.
    wrap.querySelectorAll<SVGPathElement>('path.run').forEach((p) => {
      const mine = Number(p.dataset.index) === focused;
      p.classList.toggle('focused', mine);
      p.setAttribute('tabindex', mine ? '0' : '-1');
    });
    const line = layout.lines[focused];
    if (line && announce) readout.textContent = lineDescription(layout, line);
  }

  function draw(): void {
    const { axes, lines } = layout;
    box.hidden = axes.length === 0;
    if (axes.length === 0) return wrap.replaceChildren();
    const width = Math.max(wrap.clientWidth || 0, MARGIN.left + MARGIN.right + AXIS_SPACING * axes.length);
    drawnWidth = wrap.clientWidth;
    const inner = { w: width - MARGIN.left - MARGIN.right - AXIS_SPACING / 2, h: HEIGHT - MARGIN.top - MARGIN.bottom };
    const x = (i: number) =>
      MARGIN.left + AXIS_SPACING / 4 + (axes.length === 1 ? 0 : (i * inner.w) / (axes.length - 1));
    const y = (at: number) => MARGIN.top + (1 - at) * inner.h;
    const chart = svg('svg', {
      width,
      height: HEIGHT,
      viewBox: `0 0 ${width} ${HEIGHT}`,
      role: 'group',
      'aria-label': `Parallel coordinates of ${lines.length} runs: ${axes.map((a) => a.title).join(', ')}`,
    });
    const axisGroups = axes.map((axis, i) => {
      const g = svg('g', { class: 'axis' });
      g.append(svg('title', {}, `${axis.path}${axis.log ? ' (log scale)' : ''}`));
      const anchor = i === 0 ? 'start' : i === axes.length - 1 ? 'end' : 'middle';
      const text = `${axis.title}${axis.log ? ' (log)' : ''}`;
      const title = svg('text', { x: x(i), y: 16, 'text-anchor': anchor, class: 'axis-title' }, text);
      g.append(svg('line', { x1: x(i), x2: x(i), y1: MARGIN.top, y2: MARGIN.top + inner.h }), title);
      // Tick text right of the axis, left of the last one, so it stays inside the chart.
      const last = i === axes.length - 1;
      for (const tick of axis.ticks) {
        g.append(
          svg('line', { x1: x(i) - 3, x2: x(i) + 3, y1: y(tick.at), y2: y(tick.at) }),
          svg(
            'text',
            { x: x(i) + (last ? -6 : 6), y: y(tick.at) + 4, 'text-anchor': last ? 'end' : 'start', class: 'tick' },
            tick.text.length > 14 ? `${tick.text.slice(0, 13)}…` : tick.text,
          ),
        );
      }
      return g;
    });
    // Worst first, so the best lines are drawn on top.
    const paths = lines.map((line, index) => {
      let d = '';
      let pen = false;
      line.points.forEach((at, i) => {
        if (at === undefined) pen = false;
        else {
          d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(at).toFixed(1)}`;
          pen = true;
        }
      });
      const path = svg('path', {
        d,
        class: 'run',
        tabindex: index === focused ? 0 : -1,
        role: 'img',
        'aria-label': lineDescription(layout, line),
        'data-run': line.runDir,
        'data-index': index,
      });
      path.style.stroke = strokeOf(line.psnr, layout.psnrRange);
      path.append(svg('title', {}, lineDescription(layout, line)));
      path.addEventListener('pointerenter', () => highlight(index, true));
      path.addEventListener('focus', () => highlight(index, true));
      path.addEventListener('click', () => path.focus());
      return path;
    });
    // Axes over the lines, so their ticks stay readable (the text has a halo of the background).
    chart.append(...[...paths].reverse(), ...axisGroups);
    wrap.replaceChildren(chart);
    highlight(focused, false);
  }

  wrap.addEventListener('keydown', (event) => {
    const moves: Record<string, number> = {
      ArrowDown: focused + 1,
      ArrowRight: focused + 1,
      ArrowUp: focused - 1,
      ArrowLeft: focused - 1,
      Home: 0,
      End: layout.lines.length - 1,
    };
    if (!(event.key in moves) || layout.lines.length === 0) return;
    event.preventDefault();
    highlight(moves[event.key], true);
    wrap.querySelector<SVGPathElement>('path.run.focused')?.focus();
  });
  // Drawn for the width it has: redrawn when the panel is resized.
  new ResizeObserver(() => {
    if (wrap.clientWidth !== drawnWidth && layout.axes.length) draw();
  }).observe(wrap);

  return {
    box,
    show(rows) {
      layout = parallelLayout(rows);
      focused = 0;
      const range = layout.psnrRange;
      legend.textContent = range
        ? `One line per run, best first: blue is the highest test PSNR (${range.max.toFixed(2)} dB), orange the lowest (${range.min.toFixed(2)} dB). Focus a line (Tab, then arrow keys) to read it.`
        : 'One line per run. Focus a line (Tab, then arrow keys) to read it.';
      readout.textContent = '';
      draw();
    },
  };
}
