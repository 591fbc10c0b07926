/**
 * What the one-definition protocol guarantees beyond the round trips of protocolTrainer/protocolWebview:
 * fields the hand-written validators dropped or did not check, every bound of LIMITS enforced at its exact
 * edge, and the webview's build-time validator code giving the same verdicts as ajv compiling in Node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { buildSync } from 'esbuild';
import type { ValidateFunction } from 'ajv';
import type { RunSummary } from '../src/core/runs/runSummary';
import type { TrainingEvent } from '../src/core/training/events';
import { encodeBase64 } from '../src/protocol/base64';
import { checkMessage } from '../src/protocol/checkMessage';
import { LIMITS, MAX_IMAGE_BASE64 } from '../src/protocol/limits';
import { validateHostToTrainer, validateTrainerToHost } from '../src/protocol/validateTrainerMessages';
import { validateHostToWebview, validateWebviewToHost } from '../src/protocol/validateWebviewMessages';
import { webviewValidatorsCode } from '../src/protocol/webviewValidatorsCode';

const overIpc = (value: unknown): unknown => deserialize(serialize(value));
const reasonOf = (checked: { ok: boolean; reason?: string }) => (checked.ok ? 'accepted' : checked.reason!);

const engine = { name: 'wasm-blas', backend: 'wasm', threads: 2, blasLibrary: 'libopenblas.so.0', notes: [] } as const;
const started: TrainingEvent = {
  type: 'started',
  runDir: '/r',
  runName: 'tiny',
  engine,
  model: 'm',
  dataset: 'd',
  trainSize: 300,
  epochs: 2,
  batchesPerEpoch: 5,
};
const quality = { mse: 0.002, psnr: 27, ssim: 0.9, count: 100 };
const summary: RunSummary = {
  name: 'tiny',
  description: '',
  runDir: '/r',
  status: 'completed',
  message: 'Trained 1 epochs.',
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: '2026-01-01T00:00:09Z',
  durationSeconds: 9,
  engine,
  model: 'm',
  dataset: 'mnist',
  noise: 'gaussian',
  epochsCompleted: 1,
  bestEpoch: 1,
  samplesPerSecond: 5000,
  metrics: {
    train: { denoised: quality, noisyInput: quality },
    val: { denoised: quality, noisyInput: quality },
    test: { denoised: quality, noisyInput: quality },
  },
};

test('the engine BLAS library survives the trainer channel in a started event and in a summary', () => {
  const event = validateTrainerToHost(overIpc({ type: 'event', event: started }));
  assert.ok(event.ok && event.value.type === 'event' && event.value.event.type === 'started', reasonOf(event));
  assert.equal(event.value.event.engine.blasLibrary, 'libopenblas.so.0');
  const checked = validateTrainerToHost(overIpc({ type: 'summary', summary }));
  assert.ok(checked.ok && checked.value.type === 'summary', reasonOf(checked));
  assert.equal(checked.value.summary.engine.blasLibrary, 'libopenblas.so.0');
});

test('an engine name must be one of the engines, as a string', () => {
  const withName = (name: unknown) =>
    validateTrainerToHost({ type: 'event', event: { ...started, engine: { ...engine, name } } });
  assert.match(
    reasonOf(withName(42)),
    /event\.event\.engine\.name: expected one of tensorflow, wasm-blas, wasm, cpu, got 42/,
  );
  assert.match(reasonOf(withName({ toString: 'wasm' })), /engine\.name: expected one of .*, got an object/);
  assert.match(reasonOf(withName('gpu')), /engine\.name: expected one of .*, got "gpu"/);
  for (const name of ['tensorflow', 'wasm-blas', 'wasm', 'cpu'])
    assert.equal(reasonOf(withName(name)), 'accepted', name);
});

test('fields the schema does not name are dropped at every depth, and the sender keeps its own object', () => {
  const sent = { type: 'event', event: { ...started, engine: { ...engine, extra: 1 }, extra: 2 }, extra: 3 };
  const checked = validateTrainerToHost(sent);
  assert.ok(checked.ok, reasonOf(checked));
  assert.deepEqual(checked.value, { type: 'event', event: started });
  assert.equal(sent.event.engine.extra, 1, 'the message was checked on a copy');
});

test('string, list, number and image bounds from LIMITS hold at exactly their edge', () => {
  const log = (length: number) =>
    validateTrainerToHost({ type: 'event', event: { type: 'log', message: 'x'.repeat(length) } });
  assert.equal(reasonOf(log(LIMITS.text)), 'accepted');
  assert.match(
    reasonOf(log(LIMITS.text + 1)),
    new RegExp(`event\\.event\\.message: longer than ${LIMITS.text} characters`),
  );

  const start = (overrides: number) =>
    validateHostToTrainer({ type: 'start', configFile: '/a', overrides: new Array(overrides).fill('a=1') });
  assert.equal(reasonOf(start(LIMITS.overrides)), 'accepted');
  assert.match(
    reasonOf(start(LIMITS.overrides + 1)),
    new RegExp(`start\\.overrides: more than ${LIMITS.overrides} items \\(${LIMITS.overrides + 1}\\)`),
  );

  const threads = (n: number) =>
    validateTrainerToHost({ type: 'event', event: { ...started, engine: { ...engine, threads: n } } });
  assert.equal(reasonOf(threads(LIMITS.threads)), 'accepted');
  assert.match(
    reasonOf(threads(LIMITS.threads + 1)),
    new RegExp(`engine\\.threads: ${LIMITS.threads + 1} is above ${LIMITS.threads}`),
  );

  const epoch = (ssim: number) =>
    validateTrainerToHost({
      type: 'event',
      event: {
        type: 'epoch',
        epoch: 1,
        epochs: 2,
        etaSeconds: 1,
        trainLoss: 0.1,
        valLoss: 0.1,
        val: { ...quality, ssim },
        seconds: 1,
        samplesPerSecond: 1,
        best: true,
      },
    });
  assert.equal(reasonOf(epoch(LIMITS.ssim.maximum)), 'accepted');
  assert.equal(reasonOf(epoch(LIMITS.ssim.minimum)), 'accepted');
  assert.match(reasonOf(epoch(LIMITS.ssim.minimum - 1e-9)), /event\.event\.val\.ssim: -1\.000000001 is below -1/);

  const runId = (length: number) => validateWebviewToHost({ type: 'stopRun', runId: 'r'.repeat(length) });
  assert.equal(reasonOf(runId(LIMITS.runId)), 'accepted');
  assert.match(
    reasonOf(runId(LIMITS.runId + 1)),
    new RegExp(`stopRun\\.runId: longer than ${LIMITS.runId} characters`),
  );

  // The largest image set crosses both channels; one image more is refused by its count.
  const bytes = LIMITS.images * LIMITS.side * LIMITS.side;
  const raw = {
    count: LIMITS.images,
    height: LIMITS.side,
    width: LIMITS.side,
    clean: new Uint8Array(bytes),
    noisy: new Uint8Array(bytes),
    denoised: new Uint8Array(bytes),
  };
  assert.equal(
    reasonOf(validateTrainerToHost(overIpc({ type: 'event', event: { type: 'samples', epoch: 1, images: raw } }))),
    'accepted',
  );
  const text = encodeBase64(new Uint8Array(bytes));
  assert.equal(text.length, MAX_IMAGE_BASE64);
  const encoded = {
    count: LIMITS.images,
    height: LIMITS.side,
    width: LIMITS.side,
    clean: text,
    noisy: text,
    denoised: text,
  };
  assert.equal(reasonOf(validateHostToWebview({ type: 'samples', runId: 'r', epoch: 1, images: encoded })), 'accepted');
  const oneMore = validateHostToWebview({
    type: 'samples',
    runId: 'r',
    epoch: 1,
    images: { ...encoded, count: LIMITS.images + 1 },
  });
  assert.match(
    reasonOf(oneMore),
    new RegExp(`samples\\.images\\.count: ${LIMITS.images + 1} is above ${LIMITS.images}`),
  );
  const tooLong = validateHostToWebview({
    type: 'samples',
    runId: 'r',
    epoch: 1,
    images: { ...encoded, noisy: `${text}AAAA` },
  });
  assert.match(reasonOf(tooLong), new RegExp(`samples\\.images\\.noisy: longer than ${MAX_IMAGE_BASE64} characters`));
});

test('a preview names the column whose pixels do not match the shape', () => {
  const column = (length: number) => ({ label: 'clean', detail: '', pixels: new Uint8Array(length) });
  const preview = { type: 'preview', count: 2, height: 2, width: 2, columns: [column(8), column(8), column(7)] };
  assert.match(
    reasonOf(validateTrainerToHost(overIpc(preview))),
    /^preview\.columns\[2\]\.pixels: expected 8 bytes, got 7$/,
  );
  assert.equal(reasonOf(validateTrainerToHost(overIpc({ ...preview, columns: [column(8)] }))), 'accepted');
});

test('base64 pixels must be padded; a few megabytes of text are measured without overflowing the stack', () => {
  const samples = (text: string, count = 1) => ({
    type: 'samples',
    runId: 'r',
    epoch: 1,
    images: { count, height: 1, width: 1, clean: text, noisy: text, denoised: text },
  });
  assert.match(reasonOf(validateHostToWebview(samples('AA'))), /^samples\.images\.clean: expected padded base64/);
  assert.equal(reasonOf(validateHostToWebview(samples('AA=='))), 'accepted');
  const huge = 'A'.repeat(MAX_IMAGE_BASE64);
  assert.match(reasonOf(validateHostToWebview(samples(huge))), /^samples\.images\.clean: expected 1 bytes, got \d+$/);
});

/** The webview's validators as the build generates them, loaded in Node. */
function generatedWebviewValidators(): Record<'hostToWebview' | 'webviewToHost', () => ValidateFunction> {
  const bundled = buildSync({
    stdin: { contents: webviewValidatorsCode(), resolveDir: join(__dirname, '..'), loader: 'js' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'warning',
  }).outputFiles[0].text;
  const module = { exports: {} as Record<'hostToWebview' | 'webviewToHost', () => ValidateFunction> };
  new Function('module', 'exports', 'require', bundled)(module, module.exports, require);
  return module.exports;
}

test('the build-time webview validator code gives the same verdicts and reasons as ajv compiling in Node', () => {
  const generated = generatedWebviewValidators();
  const pixels = encodeBase64(new Uint8Array(8));
  const fromHost: unknown[] = [
    { type: 'init', protocolVersion: 1, view: 'dashboard' },
    { type: 'init', protocolVersion: 1, view: 'sidebar' },
    {
      type: 'generation',
      runDir: '/r',
      runName: 't',
      columns: [{ label: 'in', detail: '', images: { count: 2, height: 2, width: 2, pixels } }],
    },
    {
      type: 'generation',
      runDir: '/r',
      runName: 't',
      columns: [{ label: 'in', detail: '', images: { count: 2, height: 2, width: 3, pixels } }],
    },
    {
      type: 'samples',
      runId: 'r',
      epoch: 1,
      images: { count: 1, height: 1, width: 1, clean: 'AA', noisy: 'AA', denoised: 'AA' },
    },
    { type: 'runs', runs: [{ runDir: '/r', name: 'n', status: 'completed', test: { mse: 1, psnr: NaN, ssim: 1 } }] },
    {
      type: 'comparison',
      runs: [{ row: { runDir: '/r', name: 'n', status: 'unknown' }, curve: [{ epoch: 1.5 }] }],
      extra: 1,
    },
    { type: 'batch', runId: 'r', epoch: 1, batch: 1, batchesPerEpoch: 1, loss: 1, samplesPerSecond: -1, etaSeconds: 0 },
    { type: 'launch' },
    null,
  ];
  const fromPage: unknown[] = [
    { type: 'ready', protocolVersion: 1 },
    { type: 'exportResults', runDirs: ['/r'], format: 'xlsx' },
    [],
  ];
  const cases: [unknown[], (v: unknown) => unknown, ValidateFunction][] = [
    [fromHost, validateHostToWebview, generated.hostToWebview()],
    [fromPage, validateWebviewToHost, generated.webviewToHost()],
  ];
  let refused = 0;
  for (const [messages, inNode, standalone] of cases) {
    for (const message of messages) {
      const expected = inNode(message) as { ok: boolean };
      assert.deepEqual(checkMessage(standalone, message), expected, JSON.stringify(message));
      if (!expected.ok) refused++;
    }
  }
  assert.equal(refused, 10, 'the cases include refusals of each kind');
});
