/** Small DOM builders: the page is built in script so the HTML shell stays a few lines under the CSP. */

type Attributes = Record<string, string | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A titled section; `id` names the heading so the section is labelled for screen readers. */
export function section(id: string, title: string, ...children: (Node | string)[]): HTMLElement {
  return el(
    'section',
    { 'aria-labelledby': `${id}-title`, class: `panel ${id}` },
    el('h2', { id: `${id}-title` }, title),
    ...children,
  );
}

/** A chart canvas in a box of fixed height (Chart.js sizes the canvas to its parent). */
export function chartBox(testId: string, label: string): { box: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = el('canvas', { 'data-testid': testId, role: 'img', 'aria-label': label });
  return { box: el('div', { class: 'chart' }, canvas), canvas };
}

export function button(text: string, onClick: () => void, attributes: Attributes = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attributes }, text);
  b.addEventListener('click', onClick);
  return b;
}

/** Column labels above an image grid canvas, one per column, spaced like the grid's columns. */
export function gridLabels(labels: readonly string[]): HTMLElement {
  const row = el(
    'div',
    { class: 'grid-labels', 'aria-hidden': 'true' },
    ...labels.map((l) => el('span', { title: l }, l)),
  );
  row.style.gridTemplateColumns = `repeat(${labels.length}, 1fr)`;
  return row;
}
