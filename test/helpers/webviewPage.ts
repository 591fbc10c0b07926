import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { HostToWebview } from '../../src/protocol/webviewMessages';

const root = join(__dirname, '..', '..');
export const CHROMIUM = '/usr/bin/chromium';

/**
 * The built page (dist/webview.js and .css) in headless Chromium as the dashboard: a stand-in for VS Code's
 * acquireVsCodeApi keeps what the page posts in `window.sent`. Build first (node scripts/build.mjs).
 */
export async function openDashboardPage(
  options: { width?: number; height?: number; theme?: string; extraArgs?: string[] } = {},
): Promise<{ browser: Browser; page: Page; post: (message: HostToWebview) => Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'webview-page-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--allow-file-access-from-files',
      ...(options.extraArgs ?? []),
    ],
  });
  const file = join(dir, 'dashboard.html');
  writeFileSync(
    file,
    `<!DOCTYPE html><html><head><link rel="stylesheet" href="file://${root}/dist/webview.css"></head>
<body class="standalone ${options.theme ?? 'vscode-dark'}" data-view="dashboard"><main id="app"></main>
<script>window.sent = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.sent.push(m) });</script>
<script src="file://${root}/dist/webview.js"></script></body></html>`,
  );
  const page = await browser.newPage({ viewport: { width: options.width ?? 900, height: options.height ?? 900 } });
  await page.goto(`file://${file}`);
  const post = (message: HostToWebview) => page.evaluate((m) => window.postMessage(m, '*'), message);
  return { browser, page, post };
}

/** The gray values (red channel) of the opaque pixels the dashboard's digits canvas shows, ascending. */
export async function digitsGrays(page: Page): Promise<number[]> {
  return page
    .getByTestId('compare-digits')
    .locator('canvas')
    .evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] === 255) seen.add(d[i]);
      return [...seen].sort((x, y) => x - y);
    });
}
