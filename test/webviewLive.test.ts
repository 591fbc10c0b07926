/**
 * The page as VS Code runs it (acquireVsCodeApi present), in Debian's Chromium: it says ready, draws a live
 * run from posted messages, its Stop button asks to stop that run, a finished run's generation images are
 * asked for, and a malformed message is reported back instead of drawn.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBase64 } from '../src/protocol/base64';
import type { HostToWebview } from '../src/protocol/webviewMessages';

const root = join(__dirname, '..');
const CHROMIUM = '/usr/bin/chromium';

/**
 * A page shell like pageHtml's, with a stand-in for VS Code's API that records what the page posts. The
 * "standalone" class supplies the theme variables VS Code would set.
 */
function shell(view: string): string {
  return `<!DOCTYPE html><html><head><link rel="stylesheet" href="file://${root}/dist/webview.css"></head>
<body class="standalone vscode-dark" data-view="${view}"><main id="app"></main>
<script>window.sent = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.sent.push(m) });</script>
<script src="file://${root}/dist/webview.js"></script></body></html>`;
}

const digits = (n: number, value: (i: number) => number) =>
  encodeBase64(Uint8Array.from({ length: n * 28 * 28 }, (_, i) => value(i)));

function liveRun(): HostToWebview[] {
  const messages: HostToWebview[] = [
    { type: 'init', protocolVersion: 1, view: 'dashboard' },
    {
      type: 'runStarted',
      runId: 'r1',
      runName: 'live-run',
      runDir: '/runs/live',
      engine: 'wasm-blas (wasm, 2 threads)',
      model: 'dense',
      dataset: 'mnist',
      epochs: 5,
      batchesPerEpoch: 20,
    },
  ];
  for (let epoch = 1; epoch <= 2; epoch++) {
    for (let batch = 1; batch <= 20; batch++) {
      messages.push({
        type: 'batch',
        runId: 'r1',
        epoch,
        batch,
        batchesPerEpoch: 20,
        loss: 0.1 / (epoch + batch / 20),
        samplesPerSecond: 4000,
        etaSeconds: 90,
      });
    }
    messages.push({
      type: 'epoch',
      runId: 'r1',
      epoch,
      epochs: 5,
      trainLoss: 0.08 / epoch,
      valLoss: 0.07 / epoch,
      valPsnr: 14 + epoch,
      valSsim: 0.4 + 0.1 * epoch,
      etaSeconds: 60,
      samplesPerSecond: 4100,
      best: true,
    });
    messages.push({
      type: 'samples',
      runId: 'r1',
      epoch,
      images: {
        count: 3,
        height: 28,
        width: 28,
        clean: digits(3, (i) => (i % 28 > 10 ? 255 : 0)),
        noisy: digits(3, (i) => (i * 37) % 256),
        denoised: digits(3, (i) => (i % 28 > 12 ? 200 : 10)),
      },
    });
  }
  return messages;
}

test(
  'the page in VS Code draws a live run, stops it on request and reports malformed messages',
  { skip: !existsSync(CHROMIUM) && `${CHROMIUM} is not installed` },
  async () => {
    const { chromium } = await import('playwright-core');
    const dir = mkdtempSync(join(tmpdir(), 'webview-live-'));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'],
    });
    try {
      const file = join(dir, 'dashboard.html');
      writeFileSync(file, shell('dashboard'));
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`file://${file}`);
      const sent = () => page.evaluate(() => (window as unknown as { sent: { type: string }[] }).sent);
      assert.deepEqual(
        (await sent()).map((m) => m.type),
        ['ready', 'requestRuns'],
      );
      await page.evaluate((messages) => messages.forEach((m) => window.postMessage(m, '*')), liveRun());
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="run-status"]')?.textContent?.includes('epoch 2/5'),
      );
      assert.equal(
        await page.getByTestId('run-status').textContent(),
        'live-run: running · wasm-blas (wasm, 2 threads) · 4,100 samples/s · ETA 1m00s · epoch 2/5',
      );
      assert.match((await page.locator('h3').first().textContent()) ?? '', /after epoch 2/);
      const drawn = await page.evaluate(() =>
        ['loss-chart', 'metrics-chart', 'reconstruction-grid'].map((id) => {
          const c = document.querySelector(`[data-testid="${id}"]`) as HTMLCanvasElement;
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
          return n;
        }),
      );
      for (const n of drawn) assert.ok(n > 500, `drawn pixels: ${drawn}`);

      const stop = page.getByTestId('stop-button');
      assert.equal(await stop.isEnabled(), true);
      await stop.focus();
      await page.keyboard.press('Enter');
      assert.deepEqual((await sent()).at(-1), { type: 'stopRun', runId: 'r1' });

      await page.evaluate(() =>
        window.postMessage(
          {
            type: 'samples',
            runId: 'r1',
            epoch: 3,
            images: { count: 1, height: 28, width: 28, clean: 'AAAA', noisy: 'AAAA', denoised: 'AAAA' },
          },
          '*',
        ),
      );
      await page.waitForFunction(() =>
        (window as unknown as { sent: { type: string }[] }).sent.some((m) => m.type === 'reportError'),
      );
      const report = (await sent()).find((m) => m.type === 'reportError') as unknown as { message: string };
      assert.match(report.message, /samples\.images\.clean: expected 784 bytes, got 3/);
      assert.match(
        (await page.locator('h3').first().textContent()) ?? '',
        /after epoch 2/,
        'the rejected images were not drawn',
      );

      await page.evaluate(() =>
        window.postMessage(
          { type: 'runEnded', runId: 'r1', runDir: '/runs/live', ending: 'stopped', message: 'Stopped after epoch 2.' },
          '*',
        ),
      );
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="run-status"]')?.textContent?.includes('stopped'),
      );
      assert.equal(await stop.isDisabled(), true, 'nothing left to stop');
      assert.equal(await stop.isVisible(), false, 'an ended run shows no Stop button');
      assert.deepEqual((await sent()).at(-1), { type: 'requestGeneration', runDir: '/runs/live' });
      // VS Code switches theme by changing the body's class: the charts take the new colours at once.
      const chartPixels = () =>
        page.evaluate(() => {
          const c = document.querySelector('[data-testid="loss-chart"]') as HTMLCanvasElement;
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let sum = 0;
          for (let i = 0; i < d.length; i += 4) sum += d[i] + d[i + 1] + d[i + 2];
          return sum;
        });
      const darkSum = await chartPixels();
      await page.evaluate(() => document.body.classList.replace('vscode-dark', 'vscode-light'));
      await page.waitForTimeout(100);
      assert.notEqual(await chartPixels(), darkSum, "the loss chart was redrawn in the light theme's colours");
      mkdirSync(join(root, 'test-results'), { recursive: true });
      await page.screenshot({ path: join(root, 'test-results', 'dashboard-live-light.png'), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
