/**
 * The image compare view drawn in Debian's Chromium: the before/after panel's page (dist/beforeAfter.js) fed
 * the host's messages for three generated image files, and the standalone report (reportHtml with
 * dist/webview.js) comparing two runs' sample digits offline. What a user sees is checked: every pane drawn,
 * the pixel values under the pointer, zoom and pan by keyboard, the error map, the swipe, PSNR and SSIM.
 * Screenshots go to test-results/ for a person to look at.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { compareFigures, compareMessages, readCompareFiles } from '../src/app/page/compareImages';
import { reportHtml } from '../src/app/page/reportHtml';
import { loadSharp } from '../src/core/images/loadSharp';
import { encodeBase64 } from '../src/protocol/base64';
import type { HostToWebview } from '../src/protocol/webviewMessages';
import { montage } from '../webview/compare/montage';
import { fitView, type View } from '../webview/compare/viewTransform';

const root = join(__dirname, '..');
const results = join(root, 'test-results');
const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) && `${CHROMIUM} is not installed`;

async function withBrowser(run: (browser: Browser, dir: string) => Promise<void>): Promise<void> {
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'image-compare-'));
  mkdirSync(results, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'],
  });
  try {
    await run(browser, dir);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where pane `index`'s drawing starts on the page (inside its border) and where its image sits (fit). */
async function paneView(page: Page, index: number, image: { width: number; height: number }) {
  const box = await page
    .locator('.compare-pane canvas')
    .nth(index)
    .evaluate((c: HTMLCanvasElement) => {
      const r = c.getBoundingClientRect();
      return { x: r.left + c.clientLeft, y: r.top + c.clientTop, width: c.clientWidth, height: c.clientHeight };
    });
  return { box, view: fitView(image, { width: box.width, height: box.height }) };
}

/** The page point over the centre of image pixel (x, y) of pane `index`. */
function pointOver(box: { x: number; y: number }, view: View, x: number, y: number) {
  return { x: box.x + view.x + (x + 0.5) * view.scale, y: box.y + view.y + (y + 0.5) * view.scale };
}

/** RGBA of the pane canvas at a page point (device pixel ratio 1 in headless Chromium). */
function canvasPixel(page: Page, index: number, point: { x: number; y: number }): Promise<number[]> {
  return page
    .locator('.compare-pane canvas')
    .nth(index)
    .evaluate((c: HTMLCanvasElement, p) => {
      const r = c.getBoundingClientRect();
      const x = Math.floor(p.x - r.left - c.clientLeft);
      return [...c.getContext('2d')!.getImageData(x, Math.floor(p.y - r.top - c.clientTop), 1, 1).data];
    }, point);
}

/** How many distinct colours each pane's canvas holds. */
function paneInk(page: Page): Promise<number[]> {
  return page.locator('.compare-pane canvas').evaluateAll((canvases: HTMLCanvasElement[]) =>
    canvases.map((c) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4) if (d[i + 3]) seen.add(d[i] * 65536 + d[i + 1] * 256 + d[i + 2]);
      return seen.size;
    }),
  );
}

const W = 320;
const H = 240;

test(
  'the before/after view draws three files, reads pixels under the pointer, zooms, pans, maps errors and swipes',
  { skip },
  () =>
    withBrowser(async (browser, dir) => {
      const clean = Uint8Array.from({ length: W * H }, (_, i) => (((i % W) + Math.floor(i / W)) % 200) + 20);
      const noisy = Uint8Array.from(clean, (v, i) => Math.min(255, Math.max(0, v + ((i * 7919) % 61) - 30)));
      const denoised = Uint8Array.from(clean, (v, i) => Math.min(255, v + (i % 3)));
      const files: Record<string, string> = {};
      for (const [name, pixels] of Object.entries({ clean, noisy, denoised })) {
        files[name] = join(dir, `${name}.png`);
        await loadSharp()(pixels, { raw: { width: W, height: H, channels: 1 } })
          .toColourspace('b-w')
          .png()
          .toFile(files[name]);
      }
      const set = await readCompareFiles('photo.png', [
        { label: 'clean', role: 'clean', path: files.clean },
        { label: 'noisy', role: 'noisy', path: files.noisy },
        { label: 'denoised', role: 'denoised', path: files.denoised },
      ]);
      const figures = (await compareFigures(set))!;
      const html = join(dir, 'before-after.html');
      writeFileSync(
        html,
        `<!DOCTYPE html><html><head><link rel="stylesheet" href="file://${root}/dist/beforeAfter.css"></head>
<body class="standalone vscode-dark" data-view="beforeAfter"><main id="app"></main>
<script>window.sent = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.sent.push(m) });</script>
<script src="file://${root}/dist/beforeAfter.js"></script></body></html>`,
      );
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      await page.goto(`file://${html}`);
      assert.deepEqual(await page.evaluate('window.sent'), [{ type: 'ready', protocolVersion: 1 }]);
      for (const message of [...compareMessages(set), figures])
        await page.evaluate((m) => window.postMessage(m, '*'), message as unknown);
      await page.waitForFunction(() => document.body.dataset.openMs !== undefined);
      await page.waitForFunction(() =>
        /PSNR/.test(document.querySelectorAll('.compare-pane figcaption')[1]?.textContent ?? ''),
      );
      assert.equal(await page.getByTestId('before-after-title').textContent(), 'photo.png');
      assert.match((await page.getByTestId('before-after-status').textContent()) ?? '', /^320×240 pixels, gray$/);
      assert.equal(await page.locator('.compare-pane').count(), 3);
      for (const [i, ink] of (await paneInk(page)).entries())
        assert.ok(ink > 20, `pane ${i} is drawn (${ink} colours)`);
      const captions = await page.locator('.compare-pane figcaption').allTextContents();
      assert.equal(captions[0], 'clean');
      const [noisyFigure, denoisedFigure] = figures.figures;
      assert.equal(
        captions[1],
        `noisy · PSNR ${noisyFigure.psnr.toFixed(2)} dB · SSIM ${noisyFigure.ssim.toFixed(4)} against clean`,
      );
      assert.equal(
        captions[2],
        `denoised · PSNR ${denoisedFigure.psnr.toFixed(2)} dB · SSIM ${denoisedFigure.ssim.toFixed(4)} against clean`,
      );
      assert.ok(denoisedFigure.psnr > noisyFigure.psnr);

      // The values under the pointer, in every pane at once.
      const { box, view } = await paneView(page, 1, { width: W, height: H });
      await page.mouse.move(pointOver(box, view, 100, 50).x, pointOver(box, view, 100, 50).y);
      const at = 50 * W + 100;
      assert.equal(
        await page.getByTestId('before-after-readout').textContent(),
        `x 100, y 50 · clean ${clean[at]} · noisy ${noisy[at]} · denoised ${denoised[at]}`,
      );
      const drawn = await canvasPixel(page, 1, pointOver(box, view, 100, 50));
      assert.deepEqual(drawn, [noisy[at], noisy[at], noisy[at], 255], 'the pane shows the pixel as it is');

      // Keyboard: 1 for 1:1, + to zoom in, arrows pan all panes in step, 0 back to fit.
      await page.locator('.compare-panes').focus();
      const zoom = (pattern: RegExp) =>
        page.waitForFunction(
          (source) =>
            new RegExp(source).test(document.querySelector('[data-testid="before-after-zoom"]')?.textContent ?? ''),
          pattern.source,
        );
      await page.keyboard.press('1');
      await zoom(/^100%$/);
      for (let i = 0; i < 4; i++) await page.keyboard.press('+');
      await zoom(/^244%$/);
      const readX = async () =>
        Number(/^x (\d+)/.exec((await page.getByTestId('before-after-readout').textContent()) ?? '')?.[1]);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const before = await readX();
      await page.keyboard.press('ArrowRight');
      await page.mouse.move(box.x + box.width / 2 + 1, box.y + box.height / 2);
      assert.equal(await readX(), before + Math.floor(40 / 2.44140625 + 0.5), 'the image moved left by 40 pane pixels');
      await page.waitForTimeout(100);
      const zoomedInk = await paneInk(page);
      assert.ok(zoomedInk.every((n) => n > 5));
      await page.screenshot({ path: join(results, 'before-after-zoomed.png') });
      await page.keyboard.press('0');
      await zoom(/^fit \(\d+%\)$/);

      // The error map: |output − clean| through the colour scale, with its legend and its values in the readout.
      assert.equal(await page.getByTestId('before-after-legend').isVisible(), false);
      await page.getByTestId('before-after-error-map').check();
      await page.getByTestId('before-after-legend').waitFor({ state: 'visible' });
      assert.match(
        (await page.getByTestId('before-after-legend').textContent()) ?? '',
        /\|output − clean\| 0 \d+ and above/,
      );
      await page.mouse.move(pointOver(box, view, 100, 50).x, pointOver(box, view, 100, 50).y);
      assert.match(
        (await page.getByTestId('before-after-readout').textContent()) ?? '',
        new RegExp(
          `\\|noisy − clean\\| ${Math.abs(noisy[at] - clean[at])} · \\|denoised − clean\\| ${Math.abs(denoised[at] - clean[at])}$`,
        ),
      );
      const errorPixel = await canvasPixel(page, 1, pointOver(box, view, 100, 50));
      assert.ok(errorPixel[0] !== errorPixel[2], `the error map is in colour: ${errorPixel}`);
      await page.screenshot({ path: join(results, 'before-after-error-map.png') });
      await page.getByTestId('before-after-error-map').uncheck();

      // The swipe: noisy left of the divider, denoised right of it, in one pane.
      await page.getByTestId('before-after-layout').selectOption('swipe');
      assert.equal(await page.locator('.compare-pane').count(), 1);
      await page.waitForTimeout(200);
      const swipe = await paneView(page, 0, { width: W, height: H });
      const y = 120;
      const leftX = Math.floor(W * 0.2);
      const rightX = Math.floor(W * 0.8);
      assert.deepEqual(await canvasPixel(page, 0, pointOver(swipe.box, swipe.view, leftX, y)), [
        noisy[y * W + leftX],
        noisy[y * W + leftX],
        noisy[y * W + leftX],
        255,
      ]);
      assert.deepEqual(await canvasPixel(page, 0, pointOver(swipe.box, swipe.view, rightX, y)), [
        denoised[y * W + rightX],
        denoised[y * W + rightX],
        denoised[y * W + rightX],
        255,
      ]);
      await page.getByTestId('before-after-swipe').focus();
      await page.keyboard.press('End');
      await page.waitForTimeout(100);
      assert.equal(
        (await canvasPixel(page, 0, pointOver(swipe.box, swipe.view, rightX, y)))[0],
        noisy[y * W + rightX],
        'the swipe at its end shows noisy everywhere',
      );
      await page.screenshot({ path: join(results, 'before-after-swipe.png') });

      // A narrow panel wraps the toolbar between its groups, never inside the zoom controls.
      await page.setViewportSize({ width: 480, height: 800 });
      const rows = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.compare-zoom-controls > *')).map((e) => {
          const r = e.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom };
        }),
      );
      await page.screenshot({ path: join(results, 'before-after-narrow.png') });
      assert.equal(rows.length, 5, 'zoom out, Fit, 1:1, zoom in and the zoom level');
      // On one line: each overlaps the first button vertically (a wrapped one would sit wholly below it).
      assert.ok(
        rows.every((r) => r.top < rows[0].bottom && r.bottom > rows[0].top),
        `the zoom controls on one line at 480 px: ${JSON.stringify(rows)}`,
      );
      assert.deepEqual(problems, []);
    }),
);

test('the report compares any 2-4 of its image columns offline in the same compare view', { skip }, () =>
  withBrowser(async (browser, dir) => {
    const digits = (seed: number) => Uint8Array.from({ length: 4 * 28 * 28 }, (_, i) => (i * seed) % 256);
    const samples = (denoised: Uint8Array) => ({
      count: 4,
      height: 28,
      width: 28,
      clean: encodeBase64(digits(3)),
      noisy: encodeBase64(digits(5)),
      denoised: encodeBase64(denoised),
    });
    const figures = (psnr: number) => ({ mse: 0.01, psnr, ssim: 0.8 });
    const row = (name: string, psnr: number) => ({
      runDir: `/runs/${name}`,
      name,
      status: 'completed' as const,
      test: figures(psnr),
      testNoisy: figures(12.5),
    });
    const curve = [{ epoch: 1, trainLoss: 0.1, valLoss: 0.1, valPsnr: 15, valSsim: 0.5 }];
    const messages: HostToWebview[] = [
      {
        type: 'comparison',
        runs: [
          { row: row('a', 21.25), curve, samples: samples(digits(7)) },
          { row: row('b', 23.5), curve, samples: samples(digits(3)) },
        ],
      },
    ];
    const file = join(dir, 'report.html');
    writeFileSync(
      file,
      reportHtml({
        title: 'Report',
        subtitle: 'two runs',
        messages,
        script: readFileSync(join(root, 'dist', 'webview.js'), 'utf8'),
        style: readFileSync(join(root, 'dist', 'webview.css'), 'utf8'),
        theme: 'light',
      }),
    );
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('request', (r) => !/^(file|data|blob):/.test(r.url()) && problems.push(`requested ${r.url()}`));
    await page.goto(`file://${file}`);
    const compare = page.getByTestId('samples-compare');
    await compare.waitFor({ state: 'visible' });
    await compare.locator('summary').click();
    const choices = compare.locator('.compare-choices input');
    assert.deepEqual(await compare.locator('.compare-choices label').allTextContents(), ['clean', 'noisy', 'a', 'b']);
    assert.deepEqual(await choices.evaluateAll((boxes: HTMLInputElement[]) => boxes.map((b) => b.checked)), [
      true,
      true,
      true,
      false,
    ]);
    assert.equal(await page.locator('.compare-pane').count(), 3);
    await choices.nth(3).check();
    assert.equal(await page.locator('.compare-pane').count(), 4);
    for (const [i, ink] of (await paneInk(page)).entries()) assert.ok(ink > 20, `pane ${i} is drawn (${ink} colours)`);
    const captions = await page.locator('.compare-pane figcaption').allTextContents();
    assert.deepEqual(captions, [
      'clean',
      'noisy · PSNR 12.50 dB · SSIM 0.8000 (whole test set)',
      'a · PSNR 21.25 dB · SSIM 0.8000 (whole test set)',
      'b · PSNR 23.50 dB · SSIM 0.8000 (whole test set)',
    ]);
    // The digits laid out as one montage; the pointer over digit 0's pixel (5, 7) reads every column there.
    const m = montage(4, 28, 28, digits(3));
    const { box, view } = await paneView(page, 0, m);
    const point = pointOver(box, view, 5, 7);
    await page.mouse.move(point.x, point.y);
    const at = 7 * 28 + 5;
    assert.equal(
      await page.getByTestId('image-compare-readout').textContent(),
      `x 5, y 7 · clean ${digits(3)[at]} · noisy ${digits(5)[at]} · a ${digits(7)[at]} · b ${digits(3)[at]}`,
    );
    await page.getByTestId('image-compare-error-map').check();
    await page.getByTestId('image-compare-legend').waitFor({ state: 'visible' });
    await compare.screenshot({ path: join(results, 'report-compare.png') });
    assert.deepEqual(problems, []);
  }),
);
