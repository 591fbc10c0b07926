/**
 * `npm run bench:compare`: how fast the before/after view opens a 12-megapixel result and pans (issue 20's
 * target: open in under 2 s, pan without stutter). Three 4000x3000 gray PNGs (clean, noisy, denoised) are
 * written, read by the host's code (src/app/page/compareImages.ts) into the panel's messages, and fed to the
 * panel's page (dist/beforeAfter.js, so run `npm run build` first) in Debian's Chromium, headless and without
 * GPU, as VS Code would post them. Printed: the host's reading time, the page's time from the first message
 * to the images drawn, the figures' time, and the frame times of 60 pans and 20 wheel zooms.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareFigures, compareMessages, readCompareFiles } from '../src/app/page/compareImages';
import { loadSharp } from '../src/core/images/loadSharp';

const WIDTH = 4000;
const HEIGHT = 3000;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

async function writeImages(dir: string): Promise<Record<'clean' | 'noisy' | 'denoised', string>> {
  const clean = new Uint8Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++)
    for (let x = 0; x < WIDTH; x++) clean[y * WIDTH + x] = (128 + 100 * Math.sin(x / 97) * Math.cos(y / 61)) | 0;
  let seed = 1;
  const noise = (amplitude: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return ((seed >>> 16) / 65536 - 0.5) * 2 * amplitude;
  };
  const withNoise = (amplitude: number) =>
    Uint8Array.from(clean, (v) => Math.max(0, Math.min(255, Math.round(v + noise(amplitude)))));
  const files = { clean: join(dir, 'clean.png'), noisy: join(dir, 'noisy.png'), denoised: join(dir, 'denoised.png') };
  const sharp = loadSharp();
  for (const [name, pixels] of [
    ['clean', clean],
    ['noisy', withNoise(40)],
    ['denoised', withNoise(6)],
  ] as const) {
    const png = await sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    writeFileSync(files[name], png);
  }
  return files;
}

/**
 * The panel's HTML with a stand-in for VS Code's webview API that records what the page posts, and the
 * messages embedded: `deliver()` posts them to the page's window one task each, as VS Code's webview does, so
 * the time measured is the page's (what crossing VS Code's process boundary adds is not measured here).
 */
function pageHtml(root: string, messages: readonly unknown[]): string {
  return `<!DOCTYPE html><html><head><link rel="stylesheet" href="file://${root}/dist/beforeAfter.css"></head>
<body class="standalone vscode-dark"><main id="app"></main>
<script id="bench-messages" type="application/json">${JSON.stringify(messages)}</script>
<script>window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m) });
window.deliver = () => { const m = JSON.parse(document.getElementById('bench-messages').textContent);
  window.deliveredAt = performance.now(); for (const x of m) window.postMessage(x, '*'); };</script>
<script src="file://${root}/dist/beforeAfter.js"></script></body></html>`;
}

/**
 * 60 drag steps and 20 wheel notches on the panes, each awaited to its next frame: the time of each (a string,
 * as tsx's helpers do not exist in the page).
 */
const PAN_AND_ZOOM = `(async () => {
  const panes = document.querySelector('.compare-panes');
  const box = panes.getBoundingClientRect();
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const times = [];
  const at = (x, y) => ({ clientX: box.left + x, clientY: box.top + y, bubbles: true });
  panes.dispatchEvent(new WheelEvent('wheel', { ...at(200, 200), deltaY: -600 }));
  await frame();
  panes.dispatchEvent(new PointerEvent('pointerdown', { ...at(300, 200), button: 0, pointerId: 1 }));
  for (let i = 0; i < 60; i++) {
    const start = performance.now();
    panes.dispatchEvent(new PointerEvent('pointermove', { ...at(300 - i * 5, 200 - i * 2), pointerId: 1 }));
    await frame();
    times.push(performance.now() - start);
  }
  panes.dispatchEvent(new PointerEvent('pointerup', { ...at(0, 0), pointerId: 1 }));
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    panes.dispatchEvent(new WheelEvent('wheel', { ...at(250, 180), deltaY: i < 10 ? 100 : -100 }));
    await frame();
    times.push(performance.now() - start);
  }
  return times;
})()`;

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  const dir = mkdtempSync(join(tmpdir(), 'compare-bench-'));
  try {
    const files = await writeImages(dir);
    let t = performance.now();
    const set = await readCompareFiles('bench', [
      { label: 'clean', role: 'clean', path: files.clean },
      { label: 'noisy', role: 'noisy', path: files.noisy },
      { label: 'denoised', role: 'denoised', path: files.denoised },
    ]);
    const messages = [...compareMessages(set)];
    const hostMs = performance.now() - t;
    t = performance.now();
    await compareFigures(set);
    const figuresMs = performance.now() - t;

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const html = join(dir, 'page.html');
      writeFileSync(html, pageHtml(root, messages));
      await page.goto(`file://${html}`);
      await page.waitForFunction('window.posted.length > 0');
      await page.evaluate('window.deliver()');
      await page.waitForFunction('document.body.dataset.openMs', undefined, { timeout: 60_000 });
      const openMs = Number(await page.evaluate('document.body.dataset.openMs'));
      const frames = (await page.evaluate(PAN_AND_ZOOM)) as number[];
      frames.sort((a, b) => a - b);
      const median = frames[Math.floor(frames.length / 2)];
      const worst = frames[frames.length - 1];
      const p95 = frames[Math.floor(frames.length * 0.95)];
      console.log(
        `12-megapixel gray before/after (${WIDTH}x${HEIGHT}, clean + noisy + denoised), ${messages.length} messages`,
      );
      console.log(`host: read 3 files and make the messages  ${hostMs.toFixed(0)} ms`);
      console.log(`page: first message to images drawn       ${openMs} ms`);
      console.log(`open in total (host + page)               ${(hostMs + openMs).toFixed(0)} ms (target < 2000)`);
      console.log(`host: PSNR and SSIM (sent after)          ${figuresMs.toFixed(0)} ms`);
      console.log(
        `pan/zoom frames: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, worst ${worst.toFixed(1)} ms`,
      );
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
