/**
 * The page's logic that needs no browser: number formats, the status line, run state built from
 * messages, the results table's sorting and exports, grid layout and the redraw throttle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostToWebview, RunRow } from '../src/protocol/webviewMessages';
import { encodeBase64 } from '../src/protocol/base64';
import { formatDuration, formatRate, formatSetting } from '../src/app/format';
import { nextSortOrder, RESULT_COLUMNS, sortRows } from '../src/app/results/resultColumns';
import { resultsCsv, resultsMarkdown } from '../src/app/results/resultExports';
import { displayScale, gridLayout, grayToRgba } from '../webview/render/gridLayout';
import { redrawDelay } from '../webview/scheduler';
import { BATCH_POINTS_KEPT, RunStates, showSavedRun, statusLine } from '../webview/state/runState';
import { acceptMessage } from '../webview/messages';

test('durations, rates and figures read short and exact', () => {
  assert.equal(formatDuration(42.4), '42s');
  assert.equal(formatDuration(125), '2m05s');
  assert.equal(formatDuration(3 * 3600 + 7 * 60 + 30), '3h07m');
  assert.equal(formatDuration(undefined), '–');
  assert.equal(formatDuration(Number.NaN), '–');
  assert.equal(formatRate(8512.4), '8,512');
  assert.equal(formatSetting(0.1 + 0.2), '0.3', 'no float noise in a configured value');
  assert.equal(formatSetting(256), '256');
});

const pixels = encodeBase64(new Uint8Array(2 * 2 * 2).fill(200));
const samples = { count: 2, height: 2, width: 2, clean: pixels, noisy: pixels, denoised: pixels };

test('run state follows a run from queued to ended and the status line says what a user needs', () => {
  const runs = new RunStates();
  const feed: HostToWebview[] = [
    { type: 'runQueued', runId: 'a', runName: 'seed-best', configFile: '/ws/a.denoise.json' },
    {
      type: 'runStarted',
      runId: 'a',
      runName: 'seed-best',
      runDir: '/r/a',
      engine: 'wasm-blas (wasm, 2 threads)',
      model: 'dense',
      dataset: 'mnist',
      epochs: 30,
      batchesPerEpoch: 196,
    },
    {
      type: 'batch',
      runId: 'a',
      epoch: 1,
      batch: 98,
      batchesPerEpoch: 196,
      loss: 0.09,
      samplesPerSecond: 8512,
      etaSeconds: 125,
    },
  ];
  for (const m of feed) assert.ok(runs.apply(m));
  assert.equal(
    statusLine(runs.focused),
    'seed-best: running · wasm-blas (wasm, 2 threads) · 8,512 samples/s · ETA 2m05s · epoch 1/30',
    'the epoch in progress, as the notification says (issue 21, item 9)',
  );
  assert.deepEqual(runs.focused?.batches, [{ x: 0.5, loss: 0.09 }]);
  runs.apply({
    type: 'epoch',
    runId: 'a',
    epoch: 1,
    epochs: 30,
    trainLoss: 0.08,
    valLoss: 0.07,
    valPsnr: 15,
    valSsim: 0.5,
    etaSeconds: 100,
    samplesPerSecond: 8000,
    best: true,
  });
  runs.apply({
    type: 'epoch',
    runId: 'a',
    epoch: 1,
    epochs: 30,
    trainLoss: 0.06,
    valLoss: 0.05,
    valPsnr: 16,
    valSsim: 0.6,
    etaSeconds: 90,
    samplesPerSecond: 8000,
    best: true,
  });
  assert.equal(runs.focused?.curve.length, 1, 'an epoch sent again replaces the old figures');
  assert.equal(runs.focused?.curve[0].valLoss, 0.05);
  runs.apply({ type: 'samples', runId: 'a', epoch: 1, images: samples });
  assert.equal(runs.focused?.samples?.epoch, 1);
  runs.apply({
    type: 'runEnded',
    runId: 'a',
    runDir: '/r/a',
    ending: 'stopped',
    message: 'Stopped by the user after epoch 1.',
  });
  assert.equal(
    statusLine(runs.focused),
    'seed-best: stopped · wasm-blas (wasm, 2 threads) · 8,000 samples/s · epoch 1/30 · Stopped by the user after epoch 1.',
  );
  assert.equal(runs.apply({ type: 'runs', runs: [] }), false, 'messages about no run are left to the views');
  assert.match(statusLine(undefined), /No run yet/);
});

test('a new run takes the live view from an ended one, and long batch series are thinned', () => {
  const runs = new RunStates();
  runs.apply({ type: 'runEnded', runId: 'old', ending: 'completed', message: '' });
  runs.apply({
    type: 'batch',
    runId: 'new',
    epoch: 1,
    batch: 1,
    batchesPerEpoch: 10,
    loss: 1,
    samplesPerSecond: 1,
    etaSeconds: 1,
  });
  assert.equal(runs.focusedId, 'new');
  for (let i = 0; i < BATCH_POINTS_KEPT * 3; i++) {
    runs.apply({
      type: 'batch',
      runId: 'new',
      epoch: 1 + Math.floor(i / 10),
      batch: (i % 10) + 1,
      batchesPerEpoch: 10,
      loss: 1 / (i + 1),
      samplesPerSecond: 1,
      etaSeconds: 1,
    });
  }
  const batches = runs.focused!.batches;
  assert.ok(batches.length <= BATCH_POINTS_KEPT, `${batches.length} points kept`);
  assert.equal(batches.at(-1)!.loss, 1 / (BATCH_POINTS_KEPT * 3), 'the newest point is always kept');
});

const row = (name: string, testMse: number | undefined, extra: Partial<RunRow> = {}): RunRow => ({
  runDir: `/r/${name}`,
  name,
  status: 'completed',
  noise: 'Gaussian σ²=0.01 + salt-and-pepper 0.1',
  model: 'dense 784-642-500-642-784',
  learningRate: 1,
  epochs: 50,
  batchSize: 256,
  durationSeconds: 100,
  ...(testMse === undefined
    ? {}
    : {
        train: { mse: testMse * 0.9, psnr: 20, ssim: 0.8 },
        val: { mse: testMse, psnr: 20, ssim: 0.8 },
        test: { mse: testMse, psnr: 10 * Math.log10(1 / testMse), ssim: 0.8 },
      }),
  ...extra,
});

test('the results table sorts by any column, numbers numerically, runs without a value last', () => {
  const rows = [row('b', 0.02), row('a', undefined, { status: 'failed' }), row('c', 0.005), row('d', 0.1)];
  assert.deepEqual(
    sortRows(rows, { key: 'testMse', descending: false }).map((r) => r.name),
    ['c', 'b', 'd', 'a'],
  );
  assert.deepEqual(
    sortRows(rows, { key: 'testMse', descending: true }).map((r) => r.name),
    ['d', 'b', 'c', 'a'],
  );
  assert.deepEqual(
    sortRows(rows, { key: 'name', descending: false }).map((r) => r.name),
    ['a', 'b', 'c', 'd'],
  );
  assert.deepEqual(
    sortRows(rows, { key: 'nope', descending: false }).map((r) => r.name),
    ['b', 'a', 'c', 'd'],
  );
  assert.deepEqual(nextSortOrder(undefined, 'testMse'), { key: 'testMse', descending: false });
  assert.deepEqual(nextSortOrder({ key: 'testMse', descending: false }, 'testMse'), {
    key: 'testMse',
    descending: true,
  });
  assert.deepEqual(nextSortOrder({ key: 'testMse', descending: true }, 'time'), { key: 'time', descending: false });
});

test("the table has the seed report's columns plus PSNR, SSIM, readability and time", () => {
  assert.deepEqual(
    RESULT_COLUMNS.map((c) => c.title),
    [
      'Run',
      'Status',
      'Model',
      'Noise',
      'Layers',
      'Code size',
      'Optimizer',
      'Learning rate',
      'Epochs',
      'Batch size',
      'Train MSE',
      'Val MSE',
      'Test MSE',
      'Test PSNR (dB)',
      'Test SSIM',
      'Readability',
      'Time',
      'Folder',
      'Tags',
      'Note',
    ],
  );
});

test('CSV quotes what needs quoting and leaves absent values empty; Markdown escapes pipes', () => {
  const rows = [row('plain', 0.01), row('with, comma "and quote"', undefined, { noise: 'a|b', status: 'failed' })];
  const csv = resultsCsv(rows).split('\n');
  assert.equal(
    csv[0],
    'Run,Status,Model,Noise,Layers,Code size,Optimizer,Learning rate,Epochs trained,Epochs configured,Batch size,Train MSE,Val MSE,Test MSE,Test PSNR (dB),Test SSIM,Readability,Time (s),Folder,Tags,Note',
  );
  assert.equal(
    csv[1],
    'plain,completed,dense 784-642-500-642-784,Gaussian σ²=0.01 + salt-and-pepper 0.1,,,,1,,50,256,0.00900,0.0100,0.0100,20.00,0.8000,,100.0,/r/plain,,',
  );
  assert.equal(
    csv[2],
    '"with, comma ""and quote""",failed,dense 784-642-500-642-784,a|b,,,,1,,50,256,,,,,,,100.0,"/r/with, comma ""and quote""",,',
  );
  assert.equal(csv[3], '', 'ends with a line break');
  const md = resultsMarkdown(rows).trim().split('\n');
  assert.equal(md.length, 4);
  assert.match(md[1], /^\| --- \| --- \| --- \| --- \| ---: \|/);
  assert.equal(
    md[2],
    '| plain | completed | dense 784-642-500-642-784 | Gaussian σ²=0.01 + salt-and-pepper 0.1 |  |  |  | 1 | 50 | 256 | 0.00900 | 0.0100 | 0.0100 | 20.00 | 0.8000 |  | 1m40s | /r/plain |  |  |',
  );
  assert.match(md[3], /\| a\\\|b \|/);
  assert.match(md[3], /\|  \|  \|  \|  \|  \|  \| 1m40s \| \/r\/with, comma "and quote" \|  \|  \|$/);
});

test('grid layout: columns side by side, a row per image, gaps between; whole-number display scale', () => {
  const layout = gridLayout(3, 4, 28, 28, 2);
  assert.equal(layout.width, 3 * 28 + 2 * 2);
  assert.equal(layout.height, 4 * 28 + 3 * 2);
  assert.deepEqual(layout.cell(0, 0), { x: 0, y: 0 });
  assert.deepEqual(layout.cell(2, 3), { x: 60, y: 90 });
  assert.equal(gridLayout(0, 4, 28, 28).width, 0);
  assert.equal(displayScale(88, 300), 3, 'capped at 3');
  assert.equal(displayScale(88, 200), 2);
  assert.equal(displayScale(88, 50), 1, 'never below 1: the canvas shrinks with max-width instead');
  const rgba = new Uint8ClampedArray(8);
  grayToRgba(Uint8Array.of(7, 250), rgba);
  assert.deepEqual([...rgba], [7, 7, 7, 255, 250, 250, 250, 255]);
});

test('redraws wait until 100 ms after the last one', () => {
  assert.equal(redrawDelay(-Infinity, 5), 0, 'the first draw is immediate');
  assert.equal(redrawDelay(1000, 1030), 70);
  assert.equal(redrawDelay(1000, 1200), 0);
});

test('the page draws only validated messages and reports the rest to the host', () => {
  const reports: unknown[] = [];
  const ok = acceptMessage({ type: 'samples', runId: 'a', epoch: 1, images: samples }, (m) => reports.push(m));
  assert.equal(ok?.type, 'samples');
  assert.equal(
    acceptMessage({ type: 'samples', runId: 'a', epoch: 1, images: { ...samples, clean: '<img src=x >' } }, (m) =>
      reports.push(m),
    ),
    undefined,
  );
  assert.equal(
    acceptMessage({ type: 'evalThis', code: 'alert(1)' }, (m) => reports.push(m)),
    undefined,
  );
  assert.equal(reports.length, 2);
  assert.match(JSON.stringify(reports[0]), /reportError.*samples\.images\.clean: not base64/);
  assert.match(JSON.stringify(reports[1]), /unknown message type \\"evalThis\\"/);
});

test('with nothing training, the side panel shows the newest saved run until a live run takes over', () => {
  const runs = new RunStates();
  const curve = [1, 2].map((epoch) => ({
    epoch,
    trainLoss: 0.1 / epoch,
    valLoss: 0.1 / epoch,
    valPsnr: 15,
    valSsim: 0.5,
  }));
  showSavedRun(runs, { row: row('saved', 0.02), curve, samples });
  assert.equal(statusLine(runs.focused), 'saved: completed · epoch 2/50');
  assert.equal(runs.focused?.samples?.epoch, 2);
  runs.apply({
    type: 'runStarted',
    runId: 'live',
    runName: 'live',
    runDir: '/r/live',
    engine: 'cpu',
    model: 'm',
    dataset: 'd',
    epochs: 2,
    batchesPerEpoch: 1,
  });
  assert.equal(runs.focusedId, 'live');
  showSavedRun(runs, { row: row('other', 0.02), curve });
  assert.equal(runs.focusedId, 'live', 'a saved run never replaces a shown one');
  showSavedRun(runs, { row: row('picked', 0.02), curve }, true);
  assert.equal(runs.focusedId, 'live', 'a selected run does not replace a run that trains');
});

test('a run selected in the runs view replaces the saved run the side panel shows', () => {
  const runs = new RunStates();
  const curve = [1, 2, 3].map((epoch) => ({
    epoch,
    trainLoss: 0.1 / epoch,
    valLoss: 0.1 / epoch,
    valPsnr: 15,
    valSsim: 0.5,
  }));
  showSavedRun(runs, { row: row('newest', 0.02), curve });
  showSavedRun(runs, { row: row('older', 0.03), curve: curve.slice(0, 2) }, true);
  assert.equal(statusLine(runs.focused), 'older: completed · epoch 2/50');
});
