/**
 * Chart colours from VS Code's theme (the CSS variables it sets on the page), re-read when the user
 * switches theme: VS Code then changes the body's class (vscode-light, vscode-dark, vscode-high-contrast).
 * A standalone report has no VS Code variables; style.css defines the same variables for it.
 */
export interface ChartTheme {
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  /** Series colours: blue, red, green, yellow, orange, purple. */
  readonly series: readonly string[];
  readonly highContrast: boolean;
}

const SERIES_VARIABLES = [
  '--vscode-charts-blue',
  '--vscode-charts-red',
  '--vscode-charts-green',
  '--vscode-charts-yellow',
  '--vscode-charts-orange',
  '--vscode-charts-purple',
];
/** VS Code's own default chart colours, used when a variable is missing. */
const SERIES_FALLBACK = ['#3794ff', '#f14c4c', '#89d185', '#cca700', '#d18616', '#b180d7'];

export function readTheme(element: HTMLElement = document.body): ChartTheme {
  const style = getComputedStyle(element);
  const variable = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const light = element.classList.contains('vscode-light') || element.classList.contains('vscode-high-contrast-light');
  const foreground = variable('--vscode-foreground', light ? '#333333' : '#cccccc');
  return {
    foreground,
    muted: variable('--vscode-descriptionForeground', light ? '#717171' : '#9d9d9d'),
    grid: variable('--vscode-editorWidget-border', light ? '#c8c8c8' : '#454545'),
    series: SERIES_VARIABLES.map((name, i) => variable(name, SERIES_FALLBACK[i])),
    highContrast:
      element.classList.contains('vscode-high-contrast') || element.classList.contains('vscode-high-contrast-light'),
  };
}

/** Calls `changed` with the new colours whenever VS Code switches theme. */
export function watchTheme(changed: (theme: ChartTheme) => void): void {
  new MutationObserver(() => changed(readTheme())).observe(document.body, {
    attributes: true,
    attributeFilter: ['class'],
  });
}

/** `#rrggbb` (or any colour) made translucent for faint lines; non-hex colours are returned as they are. */
export function faint(colour: string, alpha = 0.35): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour);
  if (!hex) return colour;
  return `#${hex[1]}${Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0')}`;
}
