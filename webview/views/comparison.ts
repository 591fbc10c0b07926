/**
 * Comparison: pick runs, see their validation curves overlaid, a sortable table shaped like the seed
 * report's, exports to CSV and Markdown, and the same test digits side by side across the runs.
 */
import { sampleColumns } from '../render/sampleColumns';
import type { EncodedSamples, EpochPoint, HostToWebview, RunRow } from '../../src/protocol/webviewMessages';
import { compareChart } from '../charts/compareChart';
import { COMPARE_METRICS, ColourBook, compareSeries, type CompareMetric } from '../state/compareSeries';
import { ABSENT } from '../../src/app/format';
import { nextSortOrder, sortRows, type ResultColumn, type SortOrder } from '../../src/app/results/resultColumns';
import { filterRows, visibleColumns } from '../state/tableView';
import { button, chartBox, el, gridLabels, section } from '../dom';
import type { PageHost } from '../host/pageHost';
import { drawImageColumns } from '../render/imageGrid';
import { samplesCompare } from '../compare/samplesCompare';
import { parallelCoordinatesView } from './parallelCoordinates';
import { unpackEpochSamples } from '../../src/protocol/epochSamplesPacking';
import { EpochImages, type EpochShown } from '../state/epochImages';
import type { ChartTheme } from '../theme';

type Compared = { row: RunRow; curve: readonly EpochPoint[]; samples?: EncodedSamples };

export interface ComparisonView {
  showRuns(runs: readonly RunRow[]): void;
  /** The run folders the picker lists now. */
  listed(): ReadonlySet<string>;
  showComparison(message: Extract<HostToWebview, { type: 'comparison' }>): void;
  /** The compared runs' images after the epoch the slider names. */
  showEpochSamples(message: Extract<HostToWebview, { type: 'epochSamples' }>): void;
}

export function comparisonView(parent: HTMLElement, host: PageHost, theme: ChartTheme): ComparisonView {
  const picker = el('fieldset', { class: 'run-picker' }, el('legend', {}, 'Runs to compare'));
  const pickerList = el('div', { class: 'run-list' }, el('p', { class: 'muted' }, 'No saved runs yet.'));
  picker.append(pickerList);
  const compare = button('Compare selected runs', () => host.post({ type: 'compareRuns', runDirs: selected() }));
  const refresh = button('Refresh runs', () => host.post({ type: 'requestRuns' }));
  const chart = chartBox('compare-chart', 'Curves of the compared runs');
  const metricSelect = el(
    'select',
    { 'data-testid': 'compare-metric', 'aria-label': 'Metric to compare' },
    ...COMPARE_METRICS.map((m) => el('option', { value: m.key }, m.title)),
  );
  const logBox = el('input', { type: 'checkbox', id: 'compare-log', 'data-testid': 'compare-log' });
  const chartControls = el(
    'div',
    { class: 'actions chart-controls' },
    el('label', {}, 'Metric ', metricSelect),
    el('span', {}, logBox, el('label', { for: 'compare-log' }, ' log scale')),
  );
  const colours = new ColourBook();
  const table = el('table', { 'data-testid': 'compare-table', class: 'results' });
  const allColumns = el('input', { type: 'checkbox', id: 'table-all-columns', 'data-testid': 'table-all-columns' });
  const filter = el('input', {
    type: 'search',
    'data-testid': 'table-filter',
    placeholder: 'Filter runs',
    'aria-label': 'Filter the results table',
  });
  const tableControls = el(
    'div',
    { class: 'actions table-controls' },
    filter,
    el('span', {}, allColumns, el('label', { for: 'table-all-columns' }, ' all columns')),
  );
  const exportButtons = (['csv', 'markdown'] as const).map((format) =>
    button(`Export ${format === 'csv' ? 'CSV' : 'Markdown'}`, () =>
      host.post({ type: 'exportResults', runDirs: compared.map((c) => c.row.runDir), format }),
    ),
  );
  const digits = el('div', { class: 'figures', 'data-testid': 'compare-digits' });
  const parallel = parallelCoordinatesView();
  // One slider for every compared run: moving it shows all of them after the same epoch.
  const slider = el('input', {
    type: 'range',
    min: '1',
    max: '1',
    value: '1',
    'data-testid': 'epoch-slider',
    'aria-label': 'Epoch of the images shown',
  });
  const sliderLabel = el('span', { 'data-testid': 'epoch-slider-label' }, 'final');
  const sliderRow = el('div', { class: 'actions epoch-slider' }, el('label', {}, 'Epoch ', slider), sliderLabel);
  sliderRow.hidden = !host.epochImages;
  let epochShown: EpochShown | undefined;
  const epochImages = new EpochImages((epoch) =>
    host.post({ type: 'requestEpochSamples', runDirs: compared.map((c) => c.row.runDir), epoch }),
  );
  const empty = el('p', { class: 'muted' }, host.live ? 'Tick runs above and press Compare.' : 'No run to compare.');
  const results = el('div', { class: 'results-block' });
  parent.append(
    section(
      'compare',
      'Comparison',
      ...(host.live ? [picker, el('div', { class: 'actions' }, compare, refresh)] : []),
      empty,
      results,
    ),
  );
  // Hidden until runs are compared: an empty chart draws a meaningless axis.
  results.append(
    chartControls,
    chart.box,
    parallel.box,
    tableControls,
    el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Results table' }, table),
    el('div', { class: 'actions' }, ...exportButtons),
    el('h3', {}, 'Same test digits across runs (denoised)'),
    sliderRow,
    digits,
  );
  const closeLook = samplesCompare(results);
  results.hidden = true;
  const drawChart = compareChart(chart.canvas, theme);
  let compared: Compared[] = [];
  let order: SortOrder | undefined;

  function selected(): string[] {
    return Array.from(pickerList.querySelectorAll<HTMLInputElement>('input:checked'), (i) => i.value);
  }

  function drawTable(): void {
    const all = compared.map((c) => c.row);
    const rows = filterRows(order ? sortRows(all, order) : all, filter.value);
    const columns = visibleColumns(allColumns.checked);
    const head = el(
      'tr',
      {},
      ...columns.map((column) => {
        const sort = order?.key === column.key ? (order.descending ? 'descending' : 'ascending') : 'none';
        const header = button(
          column.title,
          () => {
            order = nextSortOrder(order, column.key);
            drawTable();
            (table.querySelector(`button[data-key="${column.key}"]`) as HTMLButtonElement | null)?.focus();
          },
          { 'data-key': column.key, 'aria-label': `Sort by ${column.title}` },
        );
        header.className = 'sort';
        return el('th', { scope: 'col', 'aria-sort': sort, class: column.numeric ? 'num' : undefined }, header);
      }),
    );
    const cell = (column: ResultColumn, row: RunRow) =>
      el('td', { class: column.numeric ? 'num' : undefined }, column.text(row) || ABSENT);
    const body = rows.map((row) => el('tr', {}, ...columns.map((c) => cell(c, row))));
    table.replaceChildren(el('thead', {}, head), el('tbody', {}, ...body));
    for (const b of exportButtons) b.disabled = all.length === 0;
  }

  function samplesOf(c: Compared): EncodedSamples | undefined {
    return epochShown ? epochShown.byRun.get(c.row.runDir) : c.samples;
  }

  /** Shows the epoch's images when kept, or the nearest kept epoch until they arrive (the label says which). */
  function show(shown: EpochShown | undefined, wanted: number): void {
    if (shown) epochShown = shown;
    sliderLabel.textContent =
      shown?.exact === true ? `after epoch ${wanted}` : `after epoch ${shown?.epoch ?? '…'} (loading epoch ${wanted})`;
    if (shown) drawDigits();
  }
  slider.addEventListener('input', () => {
    const wanted = Number(slider.value);
    show(epochImages.want(wanted), wanted);
  });

  let digitsCanvas: { key: string; canvas: HTMLCanvasElement } | undefined;
  function drawDigits(): void {
    const withSamples = compared.filter((c) => samplesOf(c)).map((c) => ({ ...c, samples: samplesOf(c) }));
    const first = withSamples[0]?.samples;
    closeLook.update(withSamples.map((c) => ({ row: c.row, samples: c.samples! })));
    if (!first) {
      digits.replaceChildren(el('p', { class: 'muted' }, 'The compared runs have no sample images.'));
      return;
    }
    // Clean and noisy once (the runs share the test set), then each run's denoised column.
    const columns = [
      ...sampleColumns(first)
        .filter((c) => c.label !== 'denoised')
        .map((c) => ({ ...c, samples: first })),
      ...withSamples.map((c) => ({
        label: c.row.label ?? c.row.name,
        pixels: c.samples!.denoised,
        samples: c.samples!,
      })),
    ].filter(
      (c) => c.samples.count === first.count && c.samples.width === first.width && c.samples.height === first.height,
    );
    // The same columns as last time (a slider step): drawn into the same canvas, which keeps its buffer.
    const key = [first.count, first.width, first.height, ...columns.map((c) => c.label)].join('\n');
    if (digitsCanvas?.key !== key || !digits.contains(digitsCanvas.canvas)) {
      const canvas = el('canvas', {
        role: 'img',
        'aria-label': `Test digits: ${columns.map((c) => c.label).join(', ')}`,
      });
      digits.replaceChildren(el('div', { class: 'image-grid' }, gridLabels(columns.map((c) => c.label)), canvas));
      digitsCanvas = { key, canvas };
    }
    const canvas = digitsCanvas.canvas;
    drawImageColumns(
      canvas,
      columns.map((c) => ({ count: first.count, height: first.height, width: first.width, pixels: c.pixels })),
    );
  }

  function redrawChart(): void {
    const { series, axes } = compareSeries(compared, metricSelect.value as CompareMetric, {
      log: logBox.checked,
      colours,
    });
    drawChart(series, axes, logBox.checked);
  }
  metricSelect.addEventListener('change', redrawChart);
  allColumns.addEventListener('change', () => drawTable());
  filter.addEventListener('input', () => drawTable());
  logBox.addEventListener('change', redrawChart);

  drawTable();
  let listedDirs = new Set<string>();
  return {
    listed: () => listedDirs,
    showRuns(runs) {
      listedDirs = new Set(runs.map((r) => r.runDir));
      const before = new Set(selected());
      pickerList.replaceChildren(
        ...(runs.length
          ? runs.map((r, i) => {
              const id = `run-${i}`;
              const box = el('input', { type: 'checkbox', id, value: r.runDir });
              box.checked = before.has(r.runDir);
              const psnr = r.test ? `, test PSNR ${r.test.psnr.toFixed(2)} dB` : '';
              return el(
                'div',
                { class: 'run-choice' },
                box,
                el('label', { for: id }, `${r.label ?? r.name} (${r.status}${psnr})`),
              );
            })
          : [el('p', { class: 'muted' }, 'No saved runs yet.')]),
      );
    },
    showEpochSamples(message) {
      const dirs = new Set(compared.map((c) => c.row.runDir));
      // An answer about runs no longer compared is not theirs to show.
      if (!message.runs.every((r) => dirs.has(r.runDir))) return;
      const runs = unpackEpochSamples(message);
      const shown = epochImages.receive(message.epoch, new Map(runs.map((r) => [r.runDir, r.samples])));
      if (shown) show(shown, shown.epoch);
    },
    showComparison(message) {
      compared = [...message.runs];
      const last = Math.max(1, ...compared.map((c) => c.curve.at(-1)?.epoch ?? 1));
      slider.max = String(last);
      slider.value = String(last);
      epochShown = undefined;
      epochImages.reset(last);
      sliderLabel.textContent = 'final';
      results.hidden = compared.length === 0;
      empty.hidden = compared.length > 0;
      redrawChart();
      drawTable();
      parallel.show(compared.map((c) => c.row));
      drawDigits();
    },
  };
}
