/**
 * `denoise report` on a real tiny run: one HTML file with the page bundle inline and the run's data as
 * messages, nothing loaded from elsewhere; then the file opened in Debian's Chromium, where every canvas
 * of the contract (webview/README.md) must have drawn pixels. Screenshots (dark, light, narrow, side
 * panel) go to test-results/ for a person to look at.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderImageGrid } from '../src/core/images/imageGrid';
import { readGridColumns } from '../src/core/runs/runImages';
import { validateHostToWebview } from '../src/protocol/validateWebviewMessages';
import { writeTinyExperiment } from './helpers/tinyExperiment';

const root = join(__dirname, '..');
const bin = join(root, 'bin', 'denoise');
const results = join(root, 'test-results');
const CHROMIUM = '/usr/bin/chromium';
const denoise = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });

let runDir = '';
let work = '';

before(() => {
  const file = writeTinyExperiment(
    {
      dataset: { trainSize: 600, valSize: 200, testSize: 200 },
      training: { epochs: 3 },
      evaluation: { sampleImages: 4 },
    },
    'report-run',
  );
  work = dirname(file);
  const run = denoise('run', file, '--runs-dir', join(work, 'runs'));
  assert.equal(run.status, 0, run.stderr);
  const runs = readdirSync(join(work, 'runs'));
  assert.equal(runs.length, 1);
  runDir = join(work, 'runs', runs[0]);
});

after(() => rmSync(work, { recursive: true, force: true }));

test('image grids written by a run read back as the exact bytes', () => {
  const column = (seed: number) => ({
    pixels: Float32Array.from({ length: 3 * 5 * 5 }, (_, i) => ((i * seed) % 256) / 255),
    count: 3,
    height: 5,
    width: 5,
  });
  const dir = mkdtempSync(join(tmpdir(), 'grid-'));
  const file = join(dir, 'grid.png');
  writeFileSync(
    file,
    renderImageGrid([
      { title: 'a', images: column(7) },
      { title: 'b', images: column(13) },
    ]).png,
  );
  const [a, b] = readGridColumns(file, 2);
  assert.deepEqual([a.count, a.height, a.width], [3, 5, 5]);
  assert.deepEqual(
    [...a.bytes],
    [...column(7).pixels].map((v) => Math.round(v * 255)),
  );
  assert.deepEqual(
    [...b.bytes],
    [...column(13).pixels].map((v) => Math.round(v * 255)),
  );
  assert.throws(() => readGridColumns(file, 3), /not a grid of 3 columns/);
  rmSync(dir, { recursive: true });
});

function writeReport(theme: string, out: string): string {
  const result = denoise('report', runDir, '--out', out, '--theme', theme);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), out);
  return readFileSync(out, 'utf8');
}

test('denoise report writes one HTML file with the page inline, the run as validated messages, and no outside reference', () => {
  const html = writeReport('dark', join(work, 'report.html'));
  const bundle = readFileSync(join(root, 'dist', 'webview.js'), 'utf8').trim();
  const style = readFileSync(join(root, 'dist', 'webview.css'), 'utf8').trim();
  assert.ok(
    !/\beval\(|new Function\(/.test(bundle),
    'the page (Chart.js included) needs no eval, so the CSP can refuse it',
  );
  assert.ok(
    bundle.length > 1000 && html.includes(bundle.replace(/\/\/# sourceMappingURL=\S+$/, '').trim()),
    'the page script is inline',
  );
  assert.ok(html.includes(style.replace(/\/\*# sourceMappingURL=\S+ \*\/$/, '').trim()), 'the stylesheet is inline');
  // Checked with test() so a failure names the rule instead of printing the whole file.
  assert.ok(!/<(link|img|iframe|object|embed|audio|video|source)\b/i.test(html), 'no element that loads a file');
  assert.ok(!/<script\b[^>]*\bsrc=/i.test(html), 'no external script');
  assert.ok(!/@import|url\(\s*['"]?(https?:|\/\/)/i.test(html), 'no stylesheet import or remote url()');
  assert.ok(!/sourceMappingURL/.test(html), 'no source map to fetch');
  assert.match(
    html.slice(0, 1000),
    /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: blob:; style-src 'nonce-[^']+'; script-src 'nonce-[^']+';">/,
  );
  const embedded = /<script id="denoise-messages" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(embedded);
  const messages = JSON.parse(embedded[1]) as unknown[];
  for (const m of messages) {
    const checked = validateHostToWebview(m);
    assert.ok(checked.ok, checked.ok ? '' : checked.reason);
  }
  const types = messages.map((m) => (m as { type: string }).type);
  assert.deepEqual(types, [
    'noisePreview',
    'runStarted',
    'epoch',
    'epoch',
    'epoch',
    'samples',
    'runEnded',
    'comparison',
    'generation',
    // One per epoch, kept back by the page's host until the epoch slider asks (a report has no host to ask).
    'epochSamples',
    'epochSamples',
    'epochSamples',
  ]);
  const bad = denoise('report', work);
  assert.equal(bad.status, 2, 'a folder that is not a run is bad input');
  assert.match(bad.stderr, /is not a Denoise Lab run folder/);
});

/** Per data-testid: how many pixels of its canvas (or canvases inside it) are drawn, and how many distinct values. */
const CANVAS_INK = `(ids) => Object.fromEntries(ids.map((id) => {
  const el = document.querySelector('[data-testid="' + id + '"]');
  if (!el) return [id, null];
  const canvases = el instanceof HTMLCanvasElement ? [el] : [...el.querySelectorAll('canvas')];
  let drawn = 0; const values = new Set();
  for (const c of canvases) {
    if (!c.width || !c.height) continue;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) { drawn++; values.add(d[i] * 65536 + d[i + 1] * 256 + d[i + 2]); }
  }
  return [id, { canvases: canvases.length, drawn, distinct: values.size }];
}))`;

test(
  'the report drawn in Chromium: every contracted canvas has pixels, in dark, light, narrow and side views',
  { skip: !existsSync(CHROMIUM) && `${CHROMIUM} is not installed` },
  async () => {
    const { chromium } = await import('playwright-core');
    mkdirSync(results, { recursive: true });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const open = async (file: string, width: number) => {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        const problems: string[] = [];
        page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
        page.on('pageerror', (e) => problems.push(e.message));
        page.on('request', (r) => !/^(file|data|blob):/.test(r.url()) && problems.push(`requested ${r.url()}`));
        await page.goto(`file://${file}`);
        await page.waitForFunction(
          () => document.querySelector('[data-testid="run-status"]')?.textContent?.includes('completed'),
          undefined,
          { timeout: 10_000 },
        );
        await page.waitForTimeout(300);
        return { page, problems };
      };
      for (const theme of ['dark', 'light'] as const) {
        const file = join(work, `report-${theme}.html`);
        writeReport(theme, file);
        const { page, problems } = await open(file, 1200);
        const ids = ['noise-grid', 'loss-chart', 'metrics-chart', 'reconstruction-grid', 'generation-grid'];
        const ink = (await page.evaluate(`(${CANVAS_INK})(${JSON.stringify(ids)})`)) as Record<
          string,
          { canvases: number; drawn: number; distinct: number } | null
        >;
        for (const id of ids) {
          assert.ok(ink[id], `${id} exists`);
          assert.ok(
            ink[id]!.drawn > 500 && ink[id]!.distinct > 2,
            `${id} is drawn (${theme}): ${JSON.stringify(ink[id])}`,
          );
        }
        assert.equal(ink['noise-grid']!.canvases, 4, 'clean, gaussian, saltPepper, combined');
        const status = await page.getByTestId('run-status').textContent();
        assert.match(status ?? '', /report-run: completed · \S+ .*samples\/s · epoch 3\/3/);
        const table = page.getByTestId('compare-table');
        assert.equal(await table.locator('tbody tr').count(), 1);
        assert.match((await table.locator('tbody tr').textContent()) ?? '', /report-run.*completed/);
        assert.equal(await page.getByTestId('stop-button').isVisible(), false, 'a report has nothing to stop');
        await page.screenshot({ path: join(results, `report-${theme}.png`), fullPage: true });
        assert.deepEqual(problems, []);
        await page.close();
      }
      const narrow = await open(join(work, 'report-dark.html'), 360);
      const overflow = await narrow.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page fits 360 px without scrolling sideways (${overflow} px over)`);
      await narrow.page.screenshot({ path: join(results, 'report-narrow.png'), fullPage: true });
      await narrow.page.close();

      const sideFile = join(work, 'report-side.html');
      writeFileSync(
        sideFile,
        readFileSync(join(work, 'report-light.html'), 'utf8').replace(
          'data-view="dashboard"',
          'data-view="reconstructions"',
        ),
      );
      const side = await open(sideFile, 300);
      const ink = (await side.page.evaluate(`(${CANVAS_INK})(["side-reconstructions", "side-sparkline"])`)) as Record<
        string,
        { drawn: number; distinct: number } | null
      >;
      assert.ok(
        ink['side-reconstructions']!.drawn > 500 && ink['side-reconstructions']!.distinct > 2,
        JSON.stringify(ink),
      );
      assert.ok(ink['side-sparkline']!.drawn > 20, JSON.stringify(ink));
      await side.page.screenshot({ path: join(results, 'side-panel.png'), fullPage: true });
      assert.deepEqual(side.problems, []);
    } finally {
      await browser.close();
    }
  },
);
