/**
 * The parallel-coordinates view of a sweep (issue 21): an axis per hyper-parameter that differs, then test
 * PSNR, one line per run; a 20-run sweep drawn in the dashboard, reachable by keyboard, at a narrow width.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { lineDescription, parallelLayout } from '../webview/state/parallelAxes';
import type { HostToWebview, RunRow } from '../src/protocol/webviewMessages';
import { validateHostToWebview } from '../src/protocol/validateWebviewMessages';
import { openDashboardPage } from './helpers/webviewPage';

/** A 4 × 5 grid over learning rate and optimizer... as the host sends it: differing fields in `params`. */
function sweepRows(): RunRow[] {
  const rates = [0.0001, 0.0003, 0.001, 0.003, 0.01];
  const optimizers = ['adam', 'sgd', 'rmsprop', 'adagrad'];
  return optimizers.flatMap((optimizer, o) =>
    rates.map((learningRate, r) => ({
      runDir: `/runs/sweep-${o}-${r}`,
      name: 'grid',
      label: `grid lr=${learningRate} optimizer=${optimizer}`,
      status: 'completed' as const,
      test: { mse: 0.01, psnr: 12 + o + r * 0.5, ssim: 0.5 },
      params: [
        { key: 'training.learningRate', value: learningRate },
        { key: 'training.optimizer', value: optimizer },
      ],
    })),
  );
}

test('axes: the differing fields (log scale for learning rates spanning 100x, categories in order) and test PSNR', () => {
  const layout = parallelLayout(sweepRows());
  assert.deepEqual(
    layout.axes.map((a) => [a.title, a.kind, a.log]),
    [
      ['learningRate', 'number', true],
      ['optimizer', 'category', false],
      ['test PSNR (dB)', 'number', false],
    ],
  );
  assert.deepEqual(
    layout.axes[0].ticks.map((t) => [t.text, Number(t.at.toFixed(3))]),
    [
      ['0.0001', 0],
      ['0.0003', 0.239],
      ['0.001', 0.5],
      ['0.003', 0.739],
      ['0.01', 1],
    ],
    "a grid's own values as ticks, evenly spaced in log",
  );
  assert.deepEqual(
    layout.axes[1].ticks.map((t) => t.text),
    ['adagrad', 'adam', 'rmsprop', 'sgd'],
  );
  assert.equal(layout.lines.length, 20);
  assert.equal(layout.lines[0].psnr, 17, 'best first');
  assert.deepEqual(layout.lines[0].points, [1, 0, 1]);
  assert.deepEqual(layout.psnrRange, { min: 12, max: 17 });
  assert.equal(
    lineDescription(layout, layout.lines[0]),
    'grid lr=0.01 optimizer=adagrad: learningRate 0.01, optimizer adagrad, test PSNR (dB) 17.00',
  );
});

test('a run without a value or a PSNR leaves a gap; one run, or runs that differ in nothing, have no view', () => {
  const rows: RunRow[] = [
    {
      runDir: '/a',
      name: 'a',
      status: 'completed',
      test: { mse: 1, psnr: 10, ssim: 0 },
      params: [{ key: 'x', value: 1 }],
    },
    { runDir: '/b', name: 'b', status: 'failed', params: [{ key: 'x', value: 'unset' }] },
    {
      runDir: '/c',
      name: 'c',
      status: 'completed',
      test: { mse: 1, psnr: 11, ssim: 0 },
      params: [{ key: 'x', value: 3 }],
    },
  ];
  const layout = parallelLayout(rows);
  assert.equal(layout.axes[0].kind, 'category', 'a field that is a number for some runs and unset for others');
  assert.equal(layout.lines.at(-1)!.runDir, '/b');
  assert.equal(layout.lines.at(-1)!.points[1], undefined, 'no PSNR: no point on that axis');
  assert.deepEqual(parallelLayout(rows.slice(0, 1)).axes, []);
  // Without params (runs of different experiments), the table's columns that differ are the axes.
  const plain = parallelLayout([
    {
      runDir: '/a',
      name: 'a',
      status: 'completed',
      batchSize: 32,
      learningRate: 0.1,
      test: { mse: 1, psnr: 9, ssim: 0 },
    },
    {
      runDir: '/b',
      name: 'b',
      status: 'completed',
      batchSize: 64,
      learningRate: 0.1,
      test: { mse: 1, psnr: 8, ssim: 0 },
    },
  ]);
  assert.deepEqual(
    plain.axes.map((a) => a.title),
    ['batchSize', 'test PSNR (dB)'],
  );
});

test('a 20-run sweep in the dashboard: 20 lines, reachable by keyboard, readable at a narrow width', async () => {
  const comparison: HostToWebview = {
    type: 'comparison',
    runs: sweepRows().map((row) => ({
      row,
      curve: [{ epoch: 1, trainLoss: 0.1, valLoss: 0.1, valPsnr: 12, valSsim: 0.5 }],
    })),
  };
  assert.equal(validateHostToWebview(comparison).ok, true);
  const { browser, page, post } = await openDashboardPage({ width: 380, height: 1400 });
  try {
    await post(comparison);
    const view = page.getByTestId('parallel-coordinates');
    await view.waitFor({ state: 'visible' });
    assert.equal(await view.locator('path.run').count(), 20);
    assert.deepEqual(await view.locator('.axis-title').allTextContents(), [
      'learningRate (log)',
      'optimizer',
      'test PSNR (dB)',
    ]);
    // Narrow: the chart keeps its axes apart and the box scrolls sideways instead of squeezing them.
    const { scroll, client } = await view
      .locator('.parallel-wrap')
      .evaluate((w) => ({ scroll: w.scrollWidth, client: w.clientWidth }));
    assert.ok(client <= 380 && scroll >= 3 * 90, `scroll width ${scroll}, client width ${client}`);
    // Keyboard: one tab stop, arrows walk the runs from the best, the readout says which.
    await view.locator('path.run[tabindex="0"]').focus();
    const readout = page.getByTestId('parallel-readout');
    assert.match((await readout.textContent())!, /^grid lr=0\.01 optimizer=adagrad: .*test PSNR \(dB\) 17\.00$/);
    await page.keyboard.press('ArrowDown');
    assert.match((await readout.textContent())!, /test PSNR \(dB\) 16\.50$/);
    await page.keyboard.press('End');
    assert.match((await readout.textContent())!, /^grid lr=0\.0001 optimizer=adam: .* 12\.00$/);
    assert.equal(await view.locator('path.run[tabindex="0"]').count(), 1);
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('data-run')),
      '/runs/sweep-0-0',
      'focus moved with the highlight',
    );
    // Themed: the best line is the theme's blue, the worst its orange (dark theme's values).
    const stroke = (dir: string) =>
      view.locator(`path.run[data-run="${dir}"]`).evaluate((p) => getComputedStyle(p).stroke);
    assert.equal(await stroke('/runs/sweep-3-4'), 'color(srgb 0.215686 0.580392 1)');
    assert.equal(await stroke('/runs/sweep-0-0'), 'color(srgb 0.819608 0.52549 0.0862745)');
    const shots = process.env.DENOISE_SCREENSHOTS;
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await view.screenshot({ path: join(shots, 'parallel-coordinates-narrow-dark.png') });
      await page.evaluate(() => document.body.classList.replace('vscode-dark', 'vscode-light'));
      await page.setViewportSize({ width: 900, height: 1400 });
      await page.waitForFunction(() => document.querySelector('.parallel-wrap')!.clientWidth > 800);
      await view.screenshot({ path: join(shots, 'parallel-coordinates-wide-light.png') });
    }
  } finally {
    await browser.close();
  }
});
