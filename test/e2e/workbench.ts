// What a person does in VS Code's workbench, as Playwright steps that wait on DOM states (never on fixed sleeps).
import { mkdirSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';

export const SCREENSHOTS = 'test-results';

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/e2e-${name}.png` });
}

const quickInput = '.quick-input-widget';

/**
 * Opens the command palette (F1) with `text` typed. A palette opened while an editor is still taking focus
 * closes again at once (seen in CI right after Quick Open: the input resolved, then stayed hidden for 30 s),
 * so a palette that does not take the text within seconds is opened again rather than waited on.
 */
export async function openPalette(page: Page, text: string, timeoutMs = 30_000): Promise<void> {
  await typeInQuickInput(page, `>${text}`, timeoutMs);
}

/** Opens the quick input with F1 and types `typed` there (a leading ">" lists commands, none lists files). */
async function typeInQuickInput(page: Page, typed: string, timeoutMs: number): Promise<void> {
  const input = page.locator(`${quickInput} input`);
  for (const deadline = Date.now() + timeoutMs; ;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const took = await input
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(() => input.fill(typed, { timeout: 3_000 }))
      .then(
        () => true,
        () => false,
      );
    if (took) return;
    if (Date.now() > deadline) throw new Error(`the quick input did not take "${typed}" within ${timeoutMs / 1000} s`);
  }
}

/** Opens the palette on `title` and tells whether a row matching it shows (focused, when `focused`) within 5 s. */
async function paletteLists(page: Page, title: string, focused: boolean): Promise<boolean> {
  const row = page.locator(`${quickInput} .monaco-list-row${focused ? '.focused' : ''}`, { hasText: title });
  const opened = await openPalette(page, title, 5_000).then(
    () => true,
    () => false,
  );
  return (
    opened &&
    row
      .first()
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(
        () => true,
        () => false,
      )
  );
}

/**
 * Waits until the palette lists `title`. The palette keeps the command list it opened with, and on a slow
 * machine the workbench shows before the extension's contributions arrive (seen here: the first palette of
 * the session never listed them, however long it stayed open), so it is reopened until they are there.
 * Right after a window reload F1 may land before the workbench takes keys: reopening covers that too.
 */
export async function waitForCommand(page: Page, title: string, timeoutMs = 90_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await paletteLists(page, title, false));)
    if (Date.now() > deadline)
      throw new Error(`the command palette did not list "${title}" within ${timeoutMs / 1000} s`);
  await page.keyboard.press('Escape');
}

/** Runs a command by its palette title, e.g. "Denoise Lab: Run Experiment"; reopens a palette that closed on it. */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await paletteLists(page, title, true));)
    if (Date.now() > deadline)
      throw new Error(`the command palette did not offer "${title}" within ${timeoutMs / 1000} s`);
  await page.keyboard.press('Enter');
}

/** Picks a quick-pick item (after a command asked) by its label. */
export async function pickItem(page: Page, label: string): Promise<void> {
  const input = page.locator(`${quickInput} input`);
  await input.waitFor({ state: 'visible' });
  await input.fill(label);
  await page
    .locator(`${quickInput} .monaco-list-row.focused`, { hasText: label })
    .first()
    .waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

/** Opens a workspace file through Quick Open and waits for its editor tab to be active. */
export async function openFile(page: Page, fileName: string): Promise<void> {
  const row = page.locator(`${quickInput} .monaco-list-row.focused`, { hasText: fileName });
  for (const deadline = Date.now() + 30_000; ;) {
    await typeInQuickInput(page, fileName, 30_000);
    const listed = await row
      .first()
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(
        () => true,
        () => false,
      );
    if (listed) break;
    if (Date.now() > deadline) throw new Error(`Quick Open did not list ${fileName} within 30 s`);
  }
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: fileName }).waitFor({ state: 'visible' });
}

/** Texts of the notifications currently shown (toasts). */
export function notifications(page: Page) {
  return page.locator('.notifications-toasts .notification-list-item-message');
}

/**
 * The frame of a webview whose page contains `selector`. Webviews are nested iframes
 * (iframe.webview > iframe#active-frame); the dashboard and the side panel are separate webviews.
 */
export async function webviewFrameWith(page: Page, selector: string, timeoutMs = 60_000): Promise<Frame> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const found = await frame
        .locator(selector)
        .count()
        .catch(() => 0);
      if (found > 0) return frame;
    }
    await page.waitForTimeout(250); // polling the frame tree: frames have no "attached with selector" event to await
  }
  throw new Error(`no webview contains ${selector} after ${timeoutMs / 1000} s`);
}

/**
 * Counts pixels in a canvas that differ from its top-left (background) pixel, so a drawn chart or image grid
 * reads as non-zero and a blank or untouched canvas as zero. For a container, sums over its canvases.
 */
export async function drawnPixels(frame: Frame, testId: string): Promise<number> {
  return frame
    .locator(`[data-testid="${testId}"]`)
    .first()
    .evaluate((el) => {
      const canvases = el instanceof HTMLCanvasElement ? [el] : Array.from(el.querySelectorAll('canvas'));
      let count = 0;
      for (const canvas of canvases) {
        if (!canvas.width || !canvas.height) continue;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const [r, g, b, a] = [data[0], data[1], data[2], data[3]];
        for (let i = 0; i < data.length; i += 4) {
          if (data[i] !== r || data[i + 1] !== g || data[i + 2] !== b || data[i + 3] !== a) count++;
        }
      }
      return count;
    });
}

/** Waits until the canvas (or the canvases in the container) with `testId` has drawn pixels. */
export async function waitForDrawn(frame: Frame, testId: string, timeoutMs = 60_000): Promise<number> {
  await frame.waitForFunction(
    (id) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      if (!el) return false;
      const canvases = el instanceof HTMLCanvasElement ? [el] : Array.from(el.querySelectorAll('canvas'));
      return canvases.some((c) => {
        if (!c.width || !c.height) return false;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        for (let i = 4; i < d.length; i += 4)
          if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) return true;
        return false;
      });
    },
    testId,
    { timeout: timeoutMs, polling: 250 },
  );
  return drawnPixels(frame, testId);
}

/**
 * Each column's sum of red values in the canvas with `testId`: a small fingerprint of what is drawn where,
 * so two states of a view (a swipe moved, say) can be compared column by column without shipping the pixels.
 */
export async function columnSums(frame: Frame, testId: string): Promise<number[]> {
  return frame
    .locator(`[data-testid="${testId}"] canvas`)
    .first()
    .evaluate((canvas: HTMLCanvasElement) => {
      const { width, height } = canvas;
      const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
      const sums = new Array<number>(width).fill(0);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) sums[x] += data[(y * width + x) * 4];
      return sums;
    });
}

/**
 * The opaque picture in the canvas with `testId`: where it lies and its red values row by row. Rows count as
 * the picture's when more than `lineWidth` of their pixels are opaque, so that a thin full-height line
 * crossing it (a swipe's divider over the picture) does not stretch the box.
 */
export async function drawnPicture(
  frame: Frame,
  testId: string,
  lineWidth = 4,
): Promise<{ x: number; y: number; width: number; height: number; red: number[] }> {
  return frame
    .locator(`[data-testid="${testId}"] canvas`)
    .first()
    .evaluate((canvas: HTMLCanvasElement, line: number) => {
      const { width, height } = canvas;
      const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
      // No named function in here: tsx would wrap it in a __name() call that the page does not define.
      const rows: number[] = [];
      for (let y = 0; y < height; y++) {
        let count = 0;
        for (let x = 0; x < width; x++) if (data[(y * width + x) * 4 + 3] > 0) count++;
        if (count > line) rows.push(y);
      }
      if (!rows.length) return { x: 0, y: 0, width: 0, height: 0, red: [] };
      const [top, bottom] = [rows[0], rows[rows.length - 1]];
      let [left, right] = [width, -1];
      for (let x = 0; x < width; x++)
        for (let y = top; y <= bottom; y++)
          if (data[(y * width + x) * 4 + 3] > 0) {
            left = Math.min(left, x);
            right = Math.max(right, x);
          }
      const red: number[] = [];
      for (let y = top; y <= bottom; y++) for (let x = left; x <= right; x++) red.push(data[(y * width + x) * 4]);
      return { x: left, y: top, width: right - left + 1, height: bottom - top + 1, red };
    }, lineWidth);
}

/** Resolves after the page has drawn two more frames: what a control's input event scheduled is on the canvas. */
export async function nextFrames(frame: Frame): Promise<void> {
  await frame.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}
