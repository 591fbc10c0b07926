import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64, encodeBase64 } from '../src/protocol/base64';
import { validateHostToWebview, validateWebviewToHost } from '../src/protocol/validateWebviewMessages';
import type { HostToWebview } from '../src/protocol/webviewMessages';

/** What crosses a webview's postMessage: JSON. */
const overJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

test('base64 round-trips bytes of every length and agrees with Node', () => {
  for (const length of [0, 1, 2, 3, 4, 5, 784, 784 * 8 + 1]) {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 255);
    const text = encodeBase64(bytes);
    assert.equal(text, Buffer.from(bytes).toString('base64'));
    assert.deepEqual(decodeBase64(text), bytes);
  }
});

test('base64 decoding refuses anything but strict padded base64', () => {
  for (const bad of ['abc', 'ab=c', 'a===', '====', 'ab$d', 'ab\u00e9d', 'AAAA=AAA'])
    assert.equal(decodeBase64(bad), undefined, bad);
});

test('host messages for the page survive JSON and validation, images included', () => {
  const pixels = encodeBase64(new Uint8Array(2 * 28 * 28).fill(128));
  const messages: HostToWebview[] = [
    { type: 'init', protocolVersion: 1, view: 'dashboard' },
    {
      type: 'noisePreview',
      configFile: '/ws/a.denoise.json',
      columns: [{ label: 'clean', detail: 'no noise', images: { count: 2, height: 28, width: 28, pixels } }],
    },
    {
      type: 'noisePreviewError',
      configFile: '/ws/a.denoise.json',
      problems: [{ path: 'noise.steps[0].variance', message: '2 is out of range' }],
    },
    {
      type: 'runStarted',
      runId: 'run-1',
      runName: 'tiny',
      runDir: '/r',
      engine: 'wasm',
      model: 'm',
      dataset: 'd',
      epochs: 2,
      batchesPerEpoch: 5,
    },
    {
      type: 'batch',
      runId: 'run-1',
      epoch: 1,
      batch: 2,
      batchesPerEpoch: 5,
      loss: 0.1,
      samplesPerSecond: 10,
      etaSeconds: 5,
    },
    {
      type: 'epoch',
      runId: 'run-1',
      epoch: 1,
      epochs: 2,
      trainLoss: 0.1,
      valLoss: 0.1,
      valPsnr: 20,
      valSsim: 0.8,
      etaSeconds: 3,
      samplesPerSecond: 9,
      best: true,
    },
    {
      type: 'samples',
      runId: 'run-1',
      epoch: 1,
      images: { count: 2, height: 28, width: 28, clean: pixels, noisy: pixels, denoised: pixels },
    },
    { type: 'runEnded', runId: 'run-1', runDir: '/r', ending: 'stopped', message: 'Stopped by the user.' },
    {
      type: 'runs',
      runs: [{ runDir: '/r', name: 'tiny', status: 'completed', test: { mse: 0.01, psnr: 20, ssim: 0.8 } }],
    },
    {
      type: 'comparison',
      runs: [
        {
          row: { runDir: '/r', name: 'tiny', status: 'completed' },
          curve: [{ epoch: 1, trainLoss: 0.1, valLoss: 0.1, valPsnr: 20, valSsim: 0.8 }],
        },
      ],
    },
    {
      type: 'comparison',
      runs: [
        {
          row: { runDir: '/r', name: 'tiny', status: 'completed' },
          curve: [],
          samples: { count: 2, height: 28, width: 28, clean: pixels, noisy: pixels, denoised: pixels },
        },
      ],
    },
    {
      type: 'generation',
      runDir: '/r',
      runName: 'tiny',
      columns: [
        {
          label: 'input',
          detail: 'blank value 0, then uniform random',
          images: { count: 2, height: 28, width: 28, pixels },
        },
        { label: 'output', detail: '', images: { count: 2, height: 28, width: 28, pixels } },
      ],
    },
  ];
  for (const message of messages) {
    const checked = validateHostToWebview(overJson(message));
    assert.ok(checked.ok, `${message.type}: ${checked.ok ? '' : checked.reason}`);
    assert.deepEqual(overJson(checked.value), overJson(message));
  }
});

test('the page rejects image data that does not match its dimensions or is not base64', () => {
  const images = (pixels: string) => ({
    type: 'samples',
    runId: 'r',
    epoch: 1,
    images: { count: 1, height: 2, width: 2, clean: pixels, noisy: pixels, denoised: pixels },
  });
  const short = validateHostToWebview(images(encodeBase64(new Uint8Array(3))));
  assert.match(short.ok ? '' : short.reason, /samples\.images\.clean: expected 4 bytes, got 3/);
  const notBase64 = validateHostToWebview(images('<img src=x onerror=alert(1)>'));
  assert.equal(notBase64.ok, false);
  const typedArrayAsJson = validateHostToWebview(
    overJson({ ...images(''), images: { count: 1, height: 2, width: 2, clean: new Uint8Array(4) } }),
  );
  assert.match(typedArrayAsJson.ok ? '' : typedArrayAsJson.reason, /clean: expected a string, got an object/);
});

test('generation images must match their stated shape', () => {
  const generation = (pixels: string) => ({
    type: 'generation',
    runDir: '/r',
    runName: 't',
    columns: [{ label: 'input', detail: '', images: { count: 2, height: 2, width: 2, pixels } }],
  });
  assert.ok(validateHostToWebview(generation(encodeBase64(new Uint8Array(8)))).ok);
  const short = validateHostToWebview(generation(encodeBase64(new Uint8Array(7))));
  assert.match(short.ok ? '' : short.reason, /generation\.columns\[0\]\.images\.pixels: expected 8 bytes, got 7/);
  const many = validateHostToWebview({
    ...generation(encodeBase64(new Uint8Array(8))),
    columns: new Array(19).fill(generation(encodeBase64(new Uint8Array(8))).columns[0]),
  });
  assert.equal(many.ok, false);
});

test('the host accepts what a page may ask and rejects malformed or unknown requests', () => {
  assert.deepEqual(validateWebviewToHost({ type: 'ready', protocolVersion: 1 }), {
    ok: true,
    value: { type: 'ready', protocolVersion: 1 },
  });
  assert.deepEqual(validateWebviewToHost({ type: 'exportResults', runDirs: ['/r'], format: 'csv', x: 1 }), {
    ok: true,
    value: { type: 'exportResults', runDirs: ['/r'], format: 'csv' },
  });
  assert.deepEqual(validateWebviewToHost({ type: 'requestGeneration', runDir: '/r' }), {
    ok: true,
    value: { type: 'requestGeneration', runDir: '/r' },
  });
  const rejected: [unknown, RegExp][] = [
    [{ type: 'requestGeneration' }, /requestGeneration\.runDir: expected a string, got undefined/],
    [{ type: 'ready', protocolVersion: null }, /ready\.protocolVersion: expected a finite number, got null/],
    [{ type: 'stopRun' }, /stopRun\.runId: expected a string, got undefined/],
    [
      { type: 'exportResults', runDirs: ['/r'], format: 'xlsx' },
      /exportResults\.format: expected one of csv, markdown, got "xlsx"/,
    ],
    [{ type: 'compareRuns', runDirs: new Array(5000).fill('/r') }, /compareRuns\.runDirs: more than 1000 items/],
    [
      { type: 'openRunFolder', runDir: { toString: '/etc' } },
      /openRunFolder\.runDir: expected a string, got an object/,
    ],
    [{ type: 'runCommand', command: 'workbench.action.terminal.new' }, /unknown message type "runCommand"/],
    [[{ type: 'ready' }], /message: expected an object, got an array of 1/],
  ];
  for (const [message, reason] of rejected) {
    const checked = validateWebviewToHost(message);
    assert.equal(checked.ok, false);
    assert.match(checked.ok ? '' : checked.reason, reason);
  }
});

test('a comparison may say the user selected the run, as true or false only', () => {
  const comparison = (selected: unknown) => ({ type: 'comparison', runs: [], selected });
  assert.ok(validateHostToWebview(comparison(true)).ok);
  const bad = validateHostToWebview(comparison('yes'));
  assert.match(bad.ok ? '' : bad.reason, /comparison\.selected: expected true or false/);
});
