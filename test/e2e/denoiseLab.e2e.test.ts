// End to end in a real VS Code: the packaged extension installed into code-server, driven in Chromium as a
// person would use it. Run by `npm run test:e2e` (build, package the VSIX, then this suite). Screenshots of
// every step go to test-results/e2e-NN-name.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import sharp from 'sharp';
import { grayPng } from '../helpers/imageFiles';
import { trainImageRun } from '../helpers/trainImageRun';
import {
  codeServerBinary,
  installExtension,
  launchBrowser,
  runningTrainers,
  startCodeServer,
  stopProcessGroup,
  writeQuietSettings,
  type RunningCodeServer,
} from './codeServer';
import {
  columnSums,
  drawnPicture,
  drawnPixels,
  nextFrames,
  notifications,
  openFile,
  openPalette,
  pickItem,
  runCommand,
  screenshot,
  waitForCommand,
  waitForDrawn,
  webviewFrameWith,
} from './workbench';

const VSIX = resolve('denoise-lab.vsix');
const schema = JSON.parse(readFileSync('schema/denoise-experiment.schema.json', 'utf8'));
const optimizerSchema = schema.definitions.training.properties.optimizer as { enum: string[]; description: string };

describe('Denoise Lab in code-server', { timeout: 15 * 60_000 }, () => {
  let root: string;
  let workspace: string;
  let dirs: { userData: string; extensions: string };
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run \`npm run test:e2e\`, which packages it first`);
    const bin = codeServerBinary();
    root = mkdtempSync(join(tmpdir(), 'denoise-e2e-'));
    workspace = join(root, 'workspace');
    dirs = { userData: join(root, 'user-data'), extensions: join(root, 'extensions') };
    cpSync('test/e2e/workspace', workspace, { recursive: true });
    writeQuietSettings(dirs.userData);
    installExtension(bin, VSIX, dirs);
    server = await startCodeServer(bin, workspace, dirs);
    ({ browser, page } = await launchBrowser());
    page.setDefaultTimeout(30_000);
    await page.goto(server.url);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // The explorer shows the workspace's files once the window is ready to use.
    await page
      .locator('.explorer-folders-view .monaco-list-row', { hasText: 'short.denoise.json' })
      .waitFor({ state: 'visible', timeout: 60_000 });
    await waitForCommand(page, 'Denoise Lab: New Experiment');
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await stopProcessGroup(server?.process);
    const left = dirs ? runningTrainers(dirs.extensions) : [];
    if (root) rmSync(root, { recursive: true, force: true });
    assert.deepEqual(left, [], 'trainer processes left running after code-server stopped');
  });

  test('01 the command palette lists the Denoise Lab commands; New Experiment writes a config from a template', async () => {
    const expected = [
      'New Experiment',
      'Run Experiment',
      'Stop Run',
      'Preview Noise',
      'Open Dashboard',
      'Compare Runs',
      'Export Results',
    ].map((t) => `Denoise Lab: ${t}`);
    // The palette draws only the rows that fit (a virtual list): more than fit now, so each is looked up by name.
    for (const title of expected) await waitForCommand(page, title, 20_000);
    await openPalette(page, 'Denoise Lab:');
    await page
      .locator('.quick-input-widget .monaco-list-row', { hasText: 'Denoise Lab: New Experiment' })
      .waitFor({ state: 'visible' });
    await screenshot(page, '01-command-palette');

    await runCommand(page, 'Denoise Lab: New Experiment');
    await pickItem(page, 'quick-start');
    // The file name box comes prefilled with the template's name; the user names it my-first.
    const nameBox = page.locator('.quick-input-widget input');
    await page.waitForFunction(
      () =>
        (document.querySelector('.quick-input-widget input') as HTMLInputElement | null)?.value ===
        'quick-start.denoise.json',
    );
    await nameBox.fill('my-first.denoise.json');
    await nameBox.press('Enter');
    await page.locator('.tab.active', { hasText: 'my-first.denoise.json' }).waitFor({ state: 'visible' });
    // The experiment is named after its file (issue 21, item 3), the rest of the template as it was.
    await page.locator('.editor-instance .view-lines', { hasText: '"name": "my-first"' }).waitFor({ state: 'visible' });
    const written = JSON.parse(readFileSync(join(workspace, 'my-first.denoise.json'), 'utf8'));
    assert.equal(written.name, 'my-first');
    assert.deepEqual(
      { ...written, name: 'quick-start' },
      JSON.parse(readFileSync('templates/quick-start.denoise.json', 'utf8')),
    );
    await screenshot(page, '02-new-experiment');
  });

  test("02 completion offers the schema's fields; a wrong value gets an error marker explained by the schema", async () => {
    const editor = page.locator('.editor-instance .monaco-editor').first();
    // A wrong optimizer first: its marker also shows that the JSON language server has the schema loaded, so the
    // completion asked for next comes from the schema (before that, VS Code offers only words from the file).
    // Double-click the word adam and type over it.
    await page
      .locator('.view-line span', { hasText: /^"adam"$/ })
      .first()
      .dblclick();
    await page.keyboard.type('sgdd');
    await page.keyboard.press('Control+s');
    // The extension's own check marks it as an error (red), as the README says (issue 21, item 9).
    const squiggle = editor.locator('.squiggly-error').first();
    await squiggle.waitFor({ state: 'visible' });
    await page
      .locator('.view-line span', { hasText: /^"sgdd"$/ })
      .first()
      .hover(); // the text, which lies above the squiggle layer
    // Waits for the quick fix to be listed too (the hover first says "Checking for quick fixes...").
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Quick Fix' }).first();
    await hover.waitFor({ state: 'visible' });
    const hoverText = await hover.innerText();
    console.log(`hover on "sgdd": ${hoverText.replace(/\s+/g, ' ')}`);
    for (const value of optimizerSchema.enum)
      assert.ok(hoverText.includes(value), `hover "${hoverText}" lacks the schema's value ${value}`);
    assert.ok(
      hoverText.includes(optimizerSchema.description),
      `hover "${hoverText}" lacks the schema's description of optimizer`,
    );
    // The command line's words, the default, and a quick fix (issue 21, item 9).
    assert.match(hoverText, /did you mean "sgd"/);
    assert.match(hoverText, /Default: "sgd"/);
    assert.match(hoverText, /Quick Fix/);
    await screenshot(page, '03-schema-error-hover');
    await page.keyboard.press('Escape');
    // Cursor just inside the closing brace of "training", after its last field: the schema's other fields are due.
    const trainingLine = page.locator('.view-line', { hasText: '"training"' });
    await trainingLine.click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type(', ');
    await page.keyboard.press('Control+Space');
    const suggestions = page.locator('.suggest-widget.visible .monaco-list-row');
    await suggestions.first().waitFor({ state: 'visible' });
    // Rows' labels read "seed, Property" or the like; the list shows all (8) without scrolling.
    const offered = (await suggestions.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''))).map(
      (l) => l.split(',')[0].trim().replace(/"/g, ''),
    );
    const present = ['optimizer', 'learningRate', 'epochs', 'batchSize'];
    const due = Object.keys(schema.definitions.training.properties)
      .filter((f) => !present.includes(f))
      .sort();
    // The list draws only the rows that fit (12): those must be the first of the due fields, and each one
    // further down is offered once its first letters are typed.
    assert.ok(offered.length >= Math.min(due.length, 8), `only ${offered.length} suggestions: ${offered.join(', ')}`);
    assert.deepEqual(
      [...offered].sort(),
      due.slice(0, offered.length),
      `completion inside "training" should offer exactly the schema's fields not yet written`,
    );
    for (const field of due.slice(offered.length)) {
      await page.keyboard.type(field.slice(0, 4));
      await suggestions.filter({ hasText: field }).first().waitFor({ state: 'visible', timeout: 10_000 });
      for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
      await page.keyboard.press('Control+Space');
      await suggestions.first().waitFor({ state: 'visible' });
    }
    await screenshot(page, '04-completion');
    await page.keyboard.press('Escape');
    // Take the ", " back out so the only problem left is the wrong optimizer.
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Control+s');
  });

  let dashboard: Frame;

  test('03 Preview Noise opens the dashboard with the noise grid drawn', async () => {
    await openFile(page, 'short.denoise.json');
    await runCommand(page, 'Denoise Lab: Preview Noise');
    dashboard = await webviewFrameWith(page, '[data-testid="noise-grid"]');
    const pixels = await waitForDrawn(dashboard, 'noise-grid');
    assert.ok(pixels > 1000, `noise grid has only ${pixels} drawn pixels`);
    // The preview scrolls itself into view rather than opening on empty training charts (issue 21, item 5).
    await dashboard.waitForFunction(() => {
      const top = document.querySelector('[data-testid="noise-grid"]')!.getBoundingClientRect().top;
      return top >= 0 && top < innerHeight;
    });
    await screenshot(page, '05-noise-preview');
  });

  test('04 Run Experiment shows progress, draws the loss chart and reconstructions, and lists the run with its PSNR', async () => {
    await openFile(page, 'short.denoise.json');
    await runCommand(page, 'Denoise Lab: Run Experiment');
    // Progress: the notification counts epochs of the 40.
    await notifications(page)
      .filter({ hasText: /epoch \d+\/40/ })
      .first()
      .waitFor({ state: 'visible', timeout: 120_000 });
    await screenshot(page, '06-run-progress');
    dashboard = await webviewFrameWith(page, '[data-testid="loss-chart"]');
    await dashboard
      .locator('[data-testid="run-status"]', { hasText: /completed/i })
      .first()
      .waitFor({ state: 'visible', timeout: 180_000 });
    assert.ok((await waitForDrawn(dashboard, 'loss-chart')) > 500, 'loss chart not drawn');
    assert.ok((await waitForDrawn(dashboard, 'reconstruction-grid')) > 1000, 'reconstruction grid not drawn');
    // Final results against the noisy input (issue 21, item 6), and the run listed to compare without a refresh (item
    // 1).
    await dashboard
      .locator('[data-testid="final-results"]', { hasText: /Test PSNR \d+\.\d\d dB \(noisy input \d+\.\d\d dB/ })
      .waitFor({ state: 'visible' });
    await dashboard
      .locator('.run-choice label', { hasText: /short.*completed/ })
      .first()
      .waitFor({ state: 'visible' });
    await dashboard.locator('[data-testid="final-results"]').scrollIntoViewIfNeeded();
    await screenshot(page, '07-run-completed-dashboard');

    await runCommand(page, 'Denoise Lab: Focus on Runs View');
    const runRow = page
      .locator('.monaco-list-row', { hasText: 'short' })
      .filter({ hasText: /completed.*\d+\.\d\d dB/ });
    await runRow.first().waitFor({ state: 'visible', timeout: 60_000 });
    const summaryDir = readdirSync(join(workspace, 'denoise-runs')).find((d) => d.endsWith('-short'))!;
    const summary = JSON.parse(readFileSync(join(workspace, 'denoise-runs', summaryDir, 'summary.json'), 'utf8'));
    const psnr = summary.metrics.test.denoised.psnr.toFixed(2);
    assert.ok(
      (await runRow.first().innerText()).includes(`${psnr} dB`),
      `runs view row lacks the run's PSNR ${psnr} dB`,
    );
    await screenshot(page, '08-runs-view');
  });

  test('05 a second run updates the dashboard live, is stopped midway, ends as stopped, and leaves nothing running', async () => {
    await openFile(page, 'long.denoise.json');
    await runCommand(page, 'Denoise Lab: Run Experiment');
    await runCommand(page, 'Denoise Lab: Open Dashboard');
    dashboard = await webviewFrameWith(page, '[data-testid="stop-button"]');
    // Mid-training: the status names an epoch of the 5,000 past the second, and both live canvases are drawn.
    await dashboard
      .locator('[data-testid="run-status"]', { hasText: /long.*epoch ([3-9]|\d\d+)\/5000/ })
      .first()
      .waitFor({ state: 'visible', timeout: 180_000 });
    assert.ok((await waitForDrawn(dashboard, 'loss-chart')) > 500, 'loss chart not drawn while training');
    assert.ok(
      (await waitForDrawn(dashboard, 'reconstruction-grid')) > 1000,
      'reconstruction grid not drawn while training',
    );
    assert.ok(runningTrainers(dirs.extensions).length > 0, 'no trainer process while the run trains');
    await screenshot(page, '09-long-run-training');

    // A window reload does not end the run (issue 21, item 2): the trainer trains on, the reloaded window
    // reattaches, its dashboard shows the run training and its Stop stops it.
    const trainers = runningTrainers(dirs.extensions);
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await waitForCommand(page, 'Denoise Lab: Open Dashboard');
    assert.deepEqual(runningTrainers(dirs.extensions), trainers, 'the trainer outlived the reload');
    await runCommand(page, 'Denoise Lab: Open Dashboard');
    dashboard = await webviewFrameWith(page, '[data-testid="stop-button"]');
    await dashboard
      .locator('[data-testid="run-status"]', { hasText: /long: running.*epoch \d+\/5000/ })
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    assert.ok(
      (await waitForDrawn(dashboard, 'reconstruction-grid')) > 1000,
      'the reattached dashboard draws the reconstructions',
    );
    await screenshot(page, '09b-long-run-reattached');

    await dashboard.locator('[data-testid="stop-button"]').click();
    await dashboard
      .locator('[data-testid="run-status"]', { hasText: /stopped/i })
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    await dashboard
      .locator('[data-testid="run-status"]', { hasText: /Stopped by the user after \d+ of 5000 epochs/ })
      .first()
      .waitFor({ state: 'visible' });
    await runCommand(page, 'Denoise Lab: Focus on Runs View');
    await page
      .locator('.monaco-list-row', { hasText: 'long' })
      .filter({ hasText: /stopped/ })
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForFunction(() => !document.querySelector('.statusbar-item .codicon-sync.codicon-modifier-spin'));
    assert.deepEqual(runningTrainers(dirs.extensions), [], 'a trainer is still running after Stop');
    await screenshot(page, '10-long-run-stopped');
  });

  test('06 the side panel shows the latest reconstructions', async () => {
    await runCommand(page, 'Denoise Lab: Focus on Reconstructions View');
    const side = await webviewFrameWith(page, '[data-testid="side-reconstructions"]');
    const pixels = await waitForDrawn(side, 'side-reconstructions');
    assert.ok(pixels > 1000, `side panel reconstructions have only ${pixels} drawn pixels`);
    assert.ok((await waitForDrawn(side, 'side-sparkline')) > 50, 'side panel loss sparkline not drawn');
    await screenshot(page, '11-side-panel');
  });

  test('07 a config with a schema error refuses to run, naming the field', async () => {
    await openFile(page, 'my-first.denoise.json'); // made wrong in step 02: "optimizer": "sgdd"
    await runCommand(page, 'Denoise Lab: Run Experiment');
    const refusal = notifications(page)
      .filter({ hasText: /optimizer/ })
      .first();
    await refusal.waitFor({ state: 'visible' });
    await page
      .locator('.notification-toast.notification-fade-in-done', { hasText: /optimizer/ })
      .first()
      .waitFor({ state: 'visible' });
    const text = await refusal.innerText();
    console.log(`refusal: ${text}`);
    assert.match(text, /training\.optimizer: "sgdd" is not allowed/);
    assert.ok(
      !existsSync(join(workspace, 'denoise-runs')) ||
        !readdirSync(join(workspace, 'denoise-runs')).some((d) => d.endsWith('-my-first')),
      'a run folder was made for a config with a schema error',
    );
    await screenshot(page, '12-schema-error-refused');
  });

  /** The before/after view step 08 opens on the denoised photo; step 09 works it. */
  let viewer: Frame;

  test('08 Denoise Image… from the explorer: pick a trained run, progress, and the denoised file is written', async () => {
    // A small image-folder run trained with the command line (seconds), into the workspace's runs folder.
    const photos = join(root, 'train-photos');
    mkdirSync(photos, { recursive: true });
    const flat = (x: number, y: number) => ((Math.floor(x / 6) * 3 + Math.floor(y / 5) * 7) % 4) * 50 + 40;
    for (let i = 0; i < 4; i++)
      writeFileSync(
        join(photos, `t${i}.png`),
        grayPng(40, 36, (x, y) => flat(x + 5 * i, y)),
      );
    trainImageRun(photos, join(workspace, 'denoise-runs'), {
      name: 'e2e-photos',
      'model.depth': 4,
      'model.filters': 8,
      'training.patchesPerEpoch': 512,
      'training.epochs': 2,
      'training.learningRateSchedule.warmupBatches': 5,
    });
    // The user's noisy photo, in the workspace: 320x240, Gaussian noise on flat blocks.
    let seed = 7;
    const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 80;
    writeFileSync(
      join(workspace, 'noisy-photo.png'),
      grayPng(320, 240, (x, y) => Math.max(0, Math.min(255, Math.round(flat(x, y) + noise())))),
    );
    const noisyBefore = readFileSync(join(workspace, 'noisy-photo.png'));

    // The Denoise Lab view is in front since step 04: go back to the explorer, as a user would. It learns of
    // files written outside VS Code from a watcher, which lags on a loaded machine (seen here: the file not
    // there 1 s after writing), so refresh it too.
    await runCommand(page, 'View: Show Explorer');
    await page.locator('.explorer-folders-view').hover();
    await page.locator('.pane-header .action-label[aria-label="Refresh Explorer"]').first().click();
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'noisy-photo.png' });
    await row.waitFor({ state: 'visible', timeout: 60_000 });
    await row.click({ button: 'right' });
    const item = page.locator('.context-view .action-item', { hasText: 'Denoise Image…' });
    await item.first().waitFor({ state: 'visible' });
    await screenshot(page, '13-denoise-image-menu');
    await item.first().click();
    // The picker lists the trained run with its test PSNR and what it was trained on.
    const runRow = page
      .locator('.quick-input-widget .monaco-list-row', { hasText: 'e2e-photos' })
      .filter({ hasText: /test PSNR \d+\.\d\d dB/ });
    await runRow.first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await runRow.first().innerText(), /gray \(1 channel\)/);
    await screenshot(page, '14-denoise-image-run-picker');
    await pickItem(page, 'e2e-photos');
    // Trained at σ 25 (one Gaussian step), the model can be told the photo's σ, as `denoise apply --sigma`: the
    // box comes prefilled with the trained σ, its prompt says so, and it checks what is typed as it is typed.
    const box = page.locator('.quick-input-widget input');
    const message = page.locator('.quick-input-widget .quick-input-message');
    await page.waitForFunction(
      () => (document.querySelector('.quick-input-widget input') as HTMLInputElement | null)?.value === '25',
    );
    await message.filter({ hasText: 'The model was trained at σ 25' }).waitFor({ state: 'visible' });
    await box.fill('abc');
    await message
      .filter({
        hasText: '"abc" is not a number: type the images\' σ on the 0-255 scale; the model was trained at σ 25.',
      })
      .waitFor({ state: 'visible' });
    await box.fill('30');
    await message
      .filter({ hasText: 'σ 30: the model was trained at σ 25; input scaled by 0.83 around its mean, and back' })
      .waitFor({ state: 'visible' });
    await screenshot(page, '14b-denoise-image-noise-level');
    await page.keyboard.press('Enter');
    // The output folder: the default, a sibling denoised/ folder.
    await page.waitForFunction(() =>
      (document.querySelector('.quick-input-widget input') as HTMLInputElement | null)?.value.endsWith('denoised'),
    );
    await page.keyboard.press('Enter');
    const progress = notifications(page).filter({ hasText: /Denoising noisy-photo\.png with e2e-photos/ });
    await progress.first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, '15-denoise-image-progress');
    const output = join(workspace, 'denoised', 'noisy-photo.png');
    for (const deadline = Date.now() + 120_000; !existsSync(output);) {
      assert.ok(Date.now() < deadline, `${output} was not written`);
      await page.waitForTimeout(250);
    }
    const meta = await sharp(output).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 320, 240]);
    assert.ok(readFileSync(join(workspace, 'noisy-photo.png')).equals(noisyBefore), 'the input is untouched');
    assert.deepEqual(
      readdirSync(join(workspace, 'denoised')),
      ['noisy-photo.png'],
      'only the result in the output folder',
    );
    // The result opens (in the before/after view) once written.
    await page.locator('.tab', { hasText: 'noisy-photo.png' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, '16-denoise-image-result');
    // The before/after view: noisy and denoised side by side, drawn from the files' pixels.
    viewer = await webviewFrameWith(page, '[data-testid="before-after"]');
    await waitForDrawn(viewer, 'before-after');
    assert.equal(await viewer.locator('.compare-pane').count(), 2, 'noisy | denoised');
    assert.match((await viewer.getByTestId('before-after-status').textContent()) ?? '', /^320×240 pixels, gray/);
    // Both panes hold the whole 320x240 picture at the fitted zoom the view states ("fit (77%)"): each pane
    // covers about 320·z × 240·z pixels (less the few noisy pixels that happen to match the background).
    const zoomed = /fit \((\d+)%\)/.exec((await viewer.getByTestId('before-after-zoom').textContent()) ?? '');
    assert.ok(zoomed, 'the fitted view states its zoom');
    const z = Number(zoomed[1]) / 100;
    const drawn = await drawnPixels(viewer, 'before-after');
    assert.ok(drawn >= 0.9 * 2 * 320 * 240 * z * z, `the two panes have only ${drawn} drawn pixels at ${zoomed[1]}%`);
    await screenshot(page, '17-before-after-view');
  });

  test('09 the before/after view swipes between noisy and denoised, and shows them pixel for pixel at 1:1', async () => {
    // One band: sharp decodes an 8-bit gray PNG to three equal ones.
    const gray = (file: string) => sharp(file).extractChannel(0).raw().toBuffer();
    const noisy = await gray(join(workspace, 'noisy-photo.png'));
    const denoised = await gray(join(workspace, 'denoised', 'noisy-photo.png'));
    assert.equal(noisy.length, 320 * 240, 'gray files: one byte a pixel');
    assert.ok(!noisy.equals(denoised), 'the model changed the photo');

    await viewer.getByTestId('before-after-layout').selectOption('swipe');
    await viewer.locator('.compare-pane').first().waitFor({ state: 'visible' });
    assert.equal(await viewer.locator('.compare-pane').count(), 1, 'one pane, the two images in it');
    const slider = viewer.getByTestId('before-after-swipe');
    await slider.waitFor({ state: 'visible' });
    const chosen = (testId: string) =>
      viewer.getByTestId(testId).evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent);
    assert.equal(await chosen('before-after-swipe-a'), 'noisy', 'the noisy photo left of the divider');
    assert.equal(await chosen('before-after-swipe-b'), 'denoised', 'the denoised one right of it');
    const paneWidth = await viewer.locator('.compare-pane canvas').evaluate((c: HTMLCanvasElement) => c.width);
    const sumsAt = async (move: () => Promise<void>) => {
      await move();
      await nextFrames(viewer);
      const value = Number(await slider.inputValue());
      return { split: Math.round((value / 1000) * paneWidth), sums: await columnSums(viewer, 'before-after') };
    };
    // Keyboard on the slider: End puts the noisy image over the whole pane, Home the denoised one.
    const allNoisy = await sumsAt(() => slider.press('End'));
    const allDenoised = await sumsAt(() => slider.press('Home'));
    assert.equal(allNoisy.split, paneWidth);
    assert.equal(allDenoised.split, 0);
    // The picture's columns, less the few at the pane's edges where End's and Home's divider lies.
    const picture = allNoisy.sums.map((_, x) => x).filter((x) => allNoisy.sums[x] > 0 && x >= 3 && x < paneWidth - 3);
    const differing = picture.filter((x) => allNoisy.sums[x] !== allDenoised.sums[x]);
    assert.ok(
      differing.length > 0.9 * picture.length,
      `noisy and denoised draw differently in only ${differing.length} of ${picture.length} columns`,
    );
    // A drag of the slider's thumb to a quarter of its track: left of the split the noisy image, right the denoised.
    const track = (await slider.boundingBox())!;
    const dragged = await sumsAt(async () => {
      await page.mouse.move(track.x + track.width / 2, track.y + track.height / 2);
      await page.mouse.down();
      await page.mouse.move(track.x + track.width / 4, track.y + track.height / 2, { steps: 8 });
      await page.mouse.up();
    });
    assert.ok(
      dragged.split > 0.15 * paneWidth && dragged.split < 0.35 * paneWidth,
      `dragged to ${dragged.split} of ${paneWidth}`,
    );
    const side = (x: number) => (x < dragged.split - 3 ? allNoisy : x > dragged.split + 3 ? allDenoised : undefined);
    const wrong = picture.filter((x) => side(x) && dragged.sums[x] !== side(x)!.sums[x]);
    assert.deepEqual(wrong, [], 'columns that show neither the noisy image (left) nor the denoised one (right)');

    // Back to the middle, then 1:1: the photo's 320x240 pixels each on one screen pixel, crisp (exact values),
    // the noisy one left of the divider and the denoised one right of it.
    await slider.fill('500');
    await viewer.getByTestId('before-after-actual').click();
    await viewer
      .getByTestId('before-after-zoom')
      .filter({ hasText: /^100%$/ })
      .waitFor({ state: 'visible' });
    await nextFrames(viewer);
    const shown = await drawnPicture(viewer, 'before-after');
    assert.deepEqual([shown.width, shown.height], [320, 240], 'at 1:1 the picture is as large as the file');
    let same = 0;
    let compared = 0;
    for (let y = 0; y < 240; y++)
      for (let x = 0; x < 320; x++) {
        if (Math.abs(x - 160) <= 4) continue; // the divider
        compared++;
        if (shown.red[y * 320 + x] === (x < 160 ? noisy : denoised)[y * 320 + x]) same++;
      }
    console.log(`1:1: ${same} of ${compared} pixels equal to the files' (noisy left, denoised right)`);
    assert.ok(same >= 0.995 * compared, `only ${same} of ${compared} pixels at 1:1 equal the files' pixels`);
    await screenshot(page, '18-before-after-swipe-1to1');
  });
});
