/**
 * `denoise report` gains the dashboard's epoch slider (issue 21): the report embeds each epoch's images,
 * and its page answers the slider from them with no host, offline.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, digitsGrays } from './helpers/webviewPage';
import { writeEpochImages, writeSavedRun } from './helpers/savedRun';

const bin = join(__dirname, '..', 'bin', 'denoise');

test("a report's epoch slider shows the run's images after the chosen epoch", async () => {
  const runDir = writeSavedRun(mkdtempSync(join(tmpdir(), 'report-slider-')), '2026-12-02T10-00-00-quick-start');
  writeEpochImages(runDir, 5, { count: 4, denoisedGray: (e) => 40 * e });
  const out = join(runDir, 'report.html');
  const report = spawnSync(process.execPath, [bin, 'report', runDir, '--out', out, '--theme', 'dark'], {
    encoding: 'utf8',
  });
  assert.equal(report.status, 0, report.stderr);
  assert.equal(readFileSync(out, 'utf8').match(/"type":"epochSamples"/g)?.length, 5, 'every epoch embedded');

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 1600 } });
    await page.goto(`file://${out}`);
    const slider = page.getByTestId('epoch-slider');
    await slider.waitFor({ state: 'visible' });
    assert.equal(await slider.getAttribute('max'), '5');
    const label = page.getByTestId('epoch-slider-label');
    assert.equal(await label.textContent(), 'final', 'the report opens on the final images, not the last answer');
    const grays = () => digitsGrays(page);
    assert.ok((await grays()).includes(200), 'final: epoch 5 (gray 200)');
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="epoch-slider-label"]')?.textContent === 'after epoch 3',
    );
    const shown = await grays();
    assert.ok(shown.includes(120) && !shown.includes(200), `after epoch 3 the denoised column is gray 120: ${shown}`);
  } finally {
    await browser.close();
  }
});
