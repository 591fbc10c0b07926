/**
 * The one results table (src/app/results): its columns, the CSV and Markdown files it writes, and that
 * the dashboard (rows read by the host) and a standalone report (rows that crossed to the page as
 * messages) export the same bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFolderMessages } from '../src/app/page/runFolderMessages';
import { RESULT_COLUMNS, type ResultRow } from '../src/app/results/resultColumns';
import { csvField, resultsCsv, resultsExport, resultsMarkdown } from '../src/app/results/resultExports';
import { runRow } from '../src/app/runs/runRow';
import { resolveConfig } from '../src/core/config/loadConfig';
import { describeRun } from '../src/core/runs/listRuns';
import type { RunSummary } from '../src/core/runs/runSummary';
import { validateHostToWebview } from '../src/protocol/validateWebviewMessages';

const quality = (mse: number, psnr: number, ssim: number) => ({ mse, psnr, ssim, count: 100 });

/** A finished dense run that measured readability, as the core writes it: config.json and summary.json. */
function runFolder(name: string): string {
  const runDir = join(mkdtempSync(join(tmpdir(), 'denoise-results-')), `2026-01-02T03-04-05-${name}`);
  mkdirSync(runDir);
  const { config } = resolveConfig({
    name,
    dataset: { source: 'mnist' },
    noise: { steps: [{ type: 'gaussian', variance: 0.01 }] },
    model: { type: 'dense', hiddenSizes: [642, 500, 642] },
    training: { optimizer: 'sgd', learningRate: 0.1 + 0.2, epochs: 30, batchSize: 128 },
  });
  writeFileSync(join(runDir, 'config.json'), JSON.stringify(config));
  const split = (mse: number) => ({ denoised: quality(mse, 30.123, 0.91234), noisyInput: quality(0.02, 17, 0.4) });
  const summary: Partial<RunSummary> = {
    name,
    runDir,
    status: 'earlyStopped',
    message: 'Stopped early.',
    startedAt: '2026-01-02T03:04:05Z',
    durationSeconds: 3725,
    engine: { name: 'wasm-blas', backend: 'wasm', threads: 2, notes: [] },
    noise: 'Gaussian σ²=0.01',
    model: 'dense 784-642-500-642-784',
    epochsCompleted: 12,
    metrics: { train: split(0.0012345), val: split(0.0023456), test: split(0.0034567) },
    readability: { clean: 0.99, noisyInput: 0.7, denoised: 0.9634 },
  };
  writeFileSync(join(runDir, 'summary.json'), JSON.stringify(summary));
  return runDir;
}

const row = (over: Partial<ResultRow>): ResultRow => ({ runDir: '/runs/a', name: 'a', status: 'completed', ...over });

test("the columns are the seed report's plus PSNR, SSIM, readability and time, and read a run folder", () => {
  const runDir = runFolder('seed');
  const cells = Object.fromEntries(RESULT_COLUMNS.map((c) => [c.title, c.text(runRow(describeRun(runDir)))]));
  assert.deepEqual(cells, {
    Run: 'seed',
    Status: 'earlyStopped',
    Model: 'dense 784-642-500-642-784',
    Noise: 'Gaussian σ²=0.01',
    Layers: '5',
    'Code size': '500',
    Optimizer: 'sgd',
    'Learning rate': '0.3',
    Epochs: '12/30',
    'Batch size': '128',
    'Train MSE': '0.00123',
    'Val MSE': '0.00235',
    'Test MSE': '0.00346',
    'Test PSNR (dB)': '30.12',
    'Test SSIM': '0.9123',
    Readability: '96.3%',
    Time: '1h02m',
    Folder: runDir,
    Tags: '',
    Note: '',
  });
  const numeric = RESULT_COLUMNS.filter((c) => c.numeric).map((c) => c.key);
  assert.deepEqual(numeric, [
    'layers',
    'codeSize',
    'learningRate',
    'epochs',
    'batchSize',
    'trainMse',
    'valMse',
    'testMse',
    'testPsnr',
    'testSsim',
    'readability',
    'time',
  ]);
});

test('a run with no figures has empty cells, not zeros or dashes', () => {
  const csv = resultsCsv([row({ name: 'never-ran', status: 'badInput' })]).split('\n');
  assert.equal(csv[1], 'never-ran,badInput,,,,,,,,,,,,,,,,,/runs/a,,');
});

test('CSV quotes commas, quotes and line breaks, and defuses what a spreadsheet would run as a formula', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a, b'), '"a, b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('=1+1'), "'=1+1");
  assert.equal(csvField('+cmd'), "'+cmd");
  assert.equal(csvField('-cmd'), "'-cmd");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\t=1'), "'\t=1");
  assert.equal(csvField('-0.5'), '-0.5', 'a negative number stays a number');
  assert.equal(csvField('=HYPERLINK("x", "y")'), `"'=HYPERLINK(""x"", ""y"")"`);
  const csv = resultsCsv([row({ name: '=cmd|x', model: 'a,b' })]);
  assert.ok(csv.startsWith('Run,Status,Model,'));
  assert.ok(csv.endsWith('/runs/a,,\n'), 'LF line ends and a final line break');
  assert.ok(!csv.includes('\r'));
  assert.equal(csv.split('\n')[1].split(',').slice(0, 4).join(','), `'=cmd|x,completed,"a,b"`);
});

test('Markdown escapes pipes and line breaks and right-aligns the numeric columns', () => {
  const md = resultsMarkdown([row({ name: 'a|b', noise: 'one\ntwo', test: { mse: 0.01, psnr: 20, ssim: 0.8 } })]).split(
    '\n',
  );
  assert.equal(md.length, 4, 'header, rule, one row, final line break');
  assert.equal(md[0], `| ${RESULT_COLUMNS.map((c) => c.title).join(' | ')} |`);
  assert.equal(
    md[1],
    '| --- | --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
  );
  assert.match(md[2], /^\| a\\\|b \| completed \|  \| one two \|/);
  assert.match(md[2], /\| 0\.0100 \| 20\.00 \| 0\.8000 \|  \|  \| \/runs\/a \|  \|  \|$/);
  assert.equal(md[3], '');
});

test('the dashboard and a standalone report export the same file', () => {
  const runDir = runFolder('both');
  const fromHost = runRow(describeRun(runDir));
  // A report's page gets the row inside its messages, as JSON, and checks it before use.
  const comparison = runFolderMessages(runDir).find((m) => m.type === 'comparison');
  const received = validateHostToWebview(JSON.parse(JSON.stringify(comparison)));
  assert.ok(received.ok && received.value.type === 'comparison', !received.ok ? received.reason : '');
  const fromPage = received.value.runs[0].row;
  for (const format of ['csv', 'markdown'] as const) {
    assert.deepEqual(resultsExport([fromPage], format), resultsExport([fromHost], format));
  }
  assert.equal(resultsExport([fromHost], 'csv').fileName, 'denoise-results.csv');
  // A spreadsheet reads epochs (trained, configured) and time (seconds) as numbers, not "12/30" and "1h02m".
  const csv = resultsExport([fromPage], 'csv').text;
  assert.match(
    csv,
    /^Run,Status,Model,Noise,Layers,Code size,Optimizer,Learning rate,Epochs trained,Epochs configured,Batch size,.*,Time \(s\),Folder,Tags,Note\n/,
  );
  assert.match(csv, /,5,500,sgd,0\.3,12,30,128,0\.00123,0\.00235,0\.00346,30\.12,0\.9123,96\.3%,3725\.0,/);
  assert.match(
    resultsExport([fromPage], 'markdown').text,
    /\| 12\/30 \|.*\| 1h02m \|/,
    'the Markdown table keeps the readable forms',
  );
});
