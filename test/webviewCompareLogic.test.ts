/**
 * The image compare view's logic without a page (webview/compare): zoom and pan, the pixel readout, the error
 * map's scale and colours, the sample montage, the assembly of chunked pixels, and the host's messages for
 * image files (src/app/page/compareImages.ts) checked by the page's own validator and put back together.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import {
  CHUNK_BYTES,
  compareFigures,
  compareMessages,
  gridColumnsAsCompareSet,
  isSampleGrid,
  readCompareFiles,
  roleFromFileName,
} from '../src/app/page/compareImages';
import { writeSampleGrid } from '../src/core/experiment/sampleImages';
import { loadSharp } from '../src/core/images/loadSharp';
import { readSampleGrid } from '../src/core/runs/runImages';
import { LIMITS } from '../src/protocol/limits';
import { validateHostToWebview } from '../src/protocol/validateWebviewMessages';
import type { HostToWebview } from '../src/protocol/webviewMessages';
import { errorMagnitudes, errorMapRgba, errorScaleTop, scaleColour } from '../webview/compare/errorMap';
import { montage } from '../webview/compare/montage';
import { PixelAssembly } from '../webview/compare/pixelAssembly';
import { samplesColumns } from '../webview/compare/compareColumns';
import { formatValues, pixelValues, readoutLine, toRgba } from '../webview/compare/pixelReadout';
import {
  actualSize,
  fitView,
  imagePixelAt,
  MAX_SCALE,
  minScale,
  panBy,
  visibleRect,
  wheelFactor,
  zoomAbout,
  zoomLabel,
} from '../webview/compare/viewTransform';

const photo = { width: 4000, height: 3000 };
const pane = { width: 800, height: 500 };

test('fit shows the whole image centred; 1:1 is one image pixel per pane pixel; zoom stays within its bounds', () => {
  const fit = fitView(photo, pane);
  assert.equal(fit.scale, 500 / 3000);
  assert.equal(fit.y, 0);
  assert.equal(fit.x, (800 - 4000 * fit.scale) / 2);
  assert.match(zoomLabel(fit, photo, pane), /^fit \(17%\)$/);
  const one = actualSize(fit, photo, pane);
  assert.equal(one.scale, 1);
  assert.equal(zoomLabel(one, photo, pane), '100%');
  // Tiny sample digits are enlarged to fit, but never past the largest zoom.
  assert.equal(fitView({ width: 4, height: 4 }, pane).scale, MAX_SCALE);
  let view = fit;
  for (let i = 0; i < 100; i++) view = zoomAbout(view, 2, 400, 250, photo, pane);
  assert.equal(view.scale, MAX_SCALE);
  for (let i = 0; i < 100; i++) view = zoomAbout(view, 0.5, 400, 250, photo, pane);
  assert.equal(view.scale, minScale(photo, pane));
});

test('wheel zoom keeps the image pixel under the pointer where it is', () => {
  let view = actualSize(fitView(photo, pane), photo, pane);
  for (const [px, py, delta] of [
    [123, 77, -100],
    [700, 400, -240],
    [10, 490, 100],
  ]) {
    const before = imagePixelAt(view, px, py, photo)!;
    const exactBefore = [(px - view.x) / view.scale, (py - view.y) / view.scale];
    view = zoomAbout(view, wheelFactor(delta), px, py, photo, pane);
    const exactAfter = [(px - view.x) / view.scale, (py - view.y) / view.scale];
    assert.ok(Math.abs(exactAfter[0] - exactBefore[0]) < 1e-6 && Math.abs(exactAfter[1] - exactBefore[1]) < 1e-6);
    assert.deepEqual(imagePixelAt(view, px, py, photo), before);
  }
  assert.ok(wheelFactor(-100) > 1 && wheelFactor(100) < 1, 'wheel up zooms in');
});

test('panning moves every pane by the same amount and stops at the image edges', () => {
  const one = actualSize(fitView(photo, pane), photo, pane);
  const moved = panBy(one, -50, 20, photo, pane);
  assert.deepEqual([moved.x - one.x, moved.y - one.y], [-50, 20]);
  const farLeft = panBy(one, 1e6, 1e6, photo, pane);
  assert.deepEqual([farLeft.x, farLeft.y], [0, 0], 'the top-left corner stops at the pane corner');
  const farRight = panBy(one, -1e6, -1e6, photo, pane);
  assert.deepEqual([farRight.x, farRight.y], [800 - 4000, 500 - 3000]);
  // An image smaller than the pane stays centred whatever the drag.
  const small = { width: 100, height: 50 };
  const fit = { scale: 1, x: 350, y: 225 };
  assert.deepEqual(panBy(fit, 300, -300, small, pane), fit);
});

test('a frame draws only the image pixels that show in the pane, where they land', () => {
  const one = panBy(actualSize(fitView(photo, pane), photo, pane), -1000.5, -700.25, photo, pane);
  const rect = visibleRect(one, photo, pane)!;
  assert.ok(rect.sw <= pane.width + 1 && rect.sh <= pane.height + 1, JSON.stringify(rect));
  assert.equal(rect.dx, one.x + rect.sx * one.scale);
  assert.ok(rect.dx <= 0 && rect.dx + rect.dw >= pane.width, 'the drawn pixels cover the pane');
  const fit = fitView(photo, pane);
  assert.deepEqual(visibleRect(fit, photo, pane), {
    sx: 0,
    sy: 0,
    sw: 4000,
    sh: 3000,
    dx: fit.x,
    dy: 0,
    dw: 4000 * fit.scale,
    dh: 500,
  });
  assert.equal(imagePixelAt(fit, fit.x - 1, 10, photo), undefined, 'left of the image');
  assert.deepEqual(imagePixelAt(fit, fit.x + fit.scale / 2, fit.scale / 2, photo), { x: 0, y: 0 });
  assert.deepEqual(imagePixelAt(fit, fit.x + fit.scale * 10.5, fit.scale * 2.5, photo), { x: 10, y: 2 });
});

const gray = { width: 3, height: 2, channels: 1 as const, rgba: toRgba(Uint8Array.from([0, 10, 20, 30, 40, 250]), 1) };
const rgb = { width: 2, height: 1, channels: 3 as const, rgba: toRgba(Uint8Array.from([1, 2, 3, 200, 100, 50]), 3) };

/** The channel bytes of RGBA pixels again. */
const channelBytes = (rgba: Uint8ClampedArray, channels: 1 | 3) =>
  Uint8Array.from(
    { length: (rgba.length / 4) * channels },
    (_, i) => rgba[Math.floor(i / channels) * 4 + (i % channels)],
  );

test('the readout gives the values under the pointer for every image, gray or RGB, 0-255', () => {
  assert.deepEqual(pixelValues(gray, 2, 1), [250]);
  assert.deepEqual(pixelValues(rgb, 1, 0), [200, 100, 50]);
  assert.equal(formatValues([7]), '7');
  assert.equal(formatValues([200, 100, 50]), 'R 200 G 100 B 50');
  const noisy = { ...gray, label: 'noisy', rgba: toRgba(Uint8Array.from([5, 15, 25, 35, 45, 255]), 1) };
  const errors = [{ label: '|noisy − clean|', values: errorMagnitudes(gray, noisy) }];
  assert.equal(
    readoutLine([{ ...gray, label: 'clean' }, noisy], 1, 1, errors),
    'x 1, y 1 · clean 40 · noisy 45 · |noisy − clean| 5',
  );
});

test('the error map is the largest channel difference, scaled to its 99.5th percentile, black at zero', () => {
  const other = { ...rgb, rgba: toRgba(Uint8Array.from([1, 9, 3, 190, 100, 80]), 3) };
  assert.deepEqual([...errorMagnitudes(rgb, other)], [7, 30]);
  assert.throws(() => errorMagnitudes(gray, rgb), /one size/);
  const errors = new Uint8Array(1000);
  errors.fill(200, 990);
  assert.equal(errorScaleTop(errors), 200, '1% of pixels at 200: the scale reaches them');
  errors.fill(0, 990, 996);
  assert.equal(errorScaleTop(errors), 1, '0.4% at 200 are outliers above the scale; an exact match still has one');
  const rgba = errorMapRgba(Uint8Array.from([0, 5, 10, 255]), 10);
  assert.deepEqual([...rgba.subarray(0, 4)], [...scaleColour(0), 255]);
  assert.deepEqual([...rgba.subarray(8, 12)], [...scaleColour(1), 255]);
  assert.deepEqual([...rgba.subarray(12, 16)], [...scaleColour(1), 255], 'above the top: the top colour');
  const brightness = (c: number[]) => c[0] * 0.299 + c[1] * 0.587 + c[2] * 0.114;
  for (let i = 0; i < 10; i++) assert.ok(brightness(scaleColour((i + 1) / 10)) > brightness(scaleColour(i / 10)));
  assert.deepEqual([...gray.rgba.subarray(20, 24)], [250, 250, 250, 255], 'gray is repeated into R, G and B');
  assert.deepEqual([...rgb.rgba.subarray(4, 8)], [200, 100, 50, 255]);
});

test('sample digits become one montage per column, in a near-square grid with one-pixel gaps', () => {
  const bytes = Uint8Array.from({ length: 5 * 2 * 3 }, (_, i) => i + 1);
  const m = montage(5, 2, 3, bytes);
  assert.deepEqual([m.width, m.height], [3 * 3 + 2, 2 * 2 + 1]);
  // Image 4 (the fifth) starts the second row, at x 3 + 1, y 2 + 1.
  assert.equal(m.pixels[3 * m.width + 4], bytes[4 * 6]);
  assert.equal(m.pixels[3 * m.width + 3], 0, 'the gap is black');
});

const chunk = (image: number, offset: number, bytes: number[]) => ({
  image,
  offset,
  pixels: Buffer.from(bytes).toString('base64'),
});

test('chunks assemble into the exact bytes; out of order, too long, unknown or not base64 is refused', () => {
  const images = [
    { label: 'a', role: 'clean' as const, width: 2, height: 2, channels: 1 as const },
    { label: 'b', role: 'noisy' as const, width: 1, height: 1, channels: 3 as const },
  ];
  const assembly = new PixelAssembly(images);
  assert.equal(assembly.add(chunk(0, 2, [3, 4])), 'compareChunk: image 0 chunk at byte 2, expected 0');
  assert.equal(assembly.add(chunk(0, 0, [1, 2])), undefined);
  assert.equal(assembly.complete, false);
  assert.equal(assembly.add(chunk(0, 2, [3, 4, 5])), 'compareChunk: image 0 would get 5 of 4 bytes');
  assert.equal(assembly.add(chunk(0, 2, [3, 4])), undefined);
  assert.equal(assembly.add(chunk(2, 0, [1])), 'compareChunk: image 2 of 2');
  assert.equal(assembly.add({ image: 1, offset: 0, pixels: '@@@@' }), 'compareChunk: pixels are not base64');
  assert.equal(assembly.progress, 4 / 7);
  assert.equal(assembly.add(chunk(1, 0, [9, 8, 7])), undefined);
  assert.equal(assembly.complete, true);
  assert.deepEqual(
    assembly.buffers.map((b) => [...b]),
    [
      [1, 1, 1, 255, 2, 2, 2, 255, 3, 3, 3, 255, 4, 4, 4, 255],
      [9, 8, 7, 255],
    ],
  );
  // Colour chunks may end inside a pixel.
  const split = new PixelAssembly([{ label: 'c', role: 'output', width: 2, height: 1, channels: 3 }]);
  assert.equal(split.add(chunk(0, 0, [1, 2, 3, 4])), undefined);
  assert.equal(split.add(chunk(0, 4, [5, 6])), undefined);
  assert.deepEqual([...split.buffers[0]], [1, 2, 3, 255, 4, 5, 6, 255]);
});

test('compare messages are bounded: a fifth image, a chunk over the limit or a wrong channel count is refused', () => {
  const info = { label: 'x', role: 'output', width: 10, height: 10, channels: 1 };
  const images = (n: number) => ({ type: 'compareImages', title: 't', images: Array(n).fill(info) });
  assert.ok(validateHostToWebview(images(4)).ok);
  const five = validateHostToWebview(images(5));
  assert.ok(!five.ok && /more than 4 items/.test(five.reason), JSON.stringify(five));
  const big = validateHostToWebview({
    type: 'compareChunk',
    image: 0,
    offset: 0,
    pixels: 'A'.repeat(LIMITS.compareChunk + 4),
  });
  assert.ok(!big.ok && /compareChunk\.pixels: longer than 4194304 characters/.test(big.reason), JSON.stringify(big));
  const channels = validateHostToWebview({ ...images(1), images: [{ ...info, channels: 4 }] });
  assert.ok(!channels.ok && /channels: expected one of 1, 3/.test(channels.reason));
  const figures = validateHostToWebview({ type: 'compareFigures', figures: [{ image: 1, psnr: 30, ssim: 1.5 }] });
  assert.ok(!figures.ok && /ssim/.test(figures.reason));
});

async function writePng(file: string, width: number, height: number, channels: 1 | 3, pixels: Uint8Array) {
  let image = loadSharp()(pixels, { raw: { width, height, channels } });
  if (channels === 1) image = image.toColourspace('b-w');
  await image.png().toFile(file);
}

/** Runs the messages through the page's validator and assembly, as the before/after page does. */
function receive(messages: Iterable<HostToWebview>): PixelAssembly {
  let assembly: PixelAssembly | undefined;
  for (const message of messages) {
    const checked = validateHostToWebview(message);
    assert.ok(checked.ok, checked.ok ? '' : checked.reason);
    if (checked.value.type === 'compareImages') assembly = new PixelAssembly(checked.value.images);
    else if (checked.value.type === 'compareChunk') assert.equal(assembly!.add(checked.value), undefined);
  }
  assert.ok(assembly?.complete);
  return assembly;
}

test('image files cross as validated chunks and arrive as their exact pixels, with PSNR against the clean one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'compare-files-'));
  try {
    // Wide enough for two chunks of colour pixels.
    const width = 1100;
    const height = 1000;
    const clean = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 7) % 251);
    const noisy = Uint8Array.from(clean, (v, i) => Math.min(255, v + (i % 5)));
    await writePng(join(dir, 'clean.png'), width, height, 3, clean);
    await writePng(join(dir, 'noisy.png'), width, height, 3, noisy);
    const set = await readCompareFiles('pair', [
      { label: 'clean', role: 'clean', path: join(dir, 'clean.png') },
      { label: 'noisy', role: 'noisy', path: join(dir, 'noisy.png') },
    ]);
    const messages = [...compareMessages(set)];
    assert.equal(messages.filter((m) => m.type === 'compareChunk').length, 2 * Math.ceil(clean.length / CHUNK_BYTES));
    const assembly = receive(messages);
    assert.deepEqual(assembly.images[0], { label: 'clean', role: 'clean', width, height, channels: 3 });
    assert.ok(Buffer.from(channelBytes(assembly.buffers[0], 3)).equals(Buffer.from(clean)));
    assert.ok(Buffer.from(channelBytes(assembly.buffers[1], 3)).equals(Buffer.from(noisy)));
    const figures = await compareFigures(set);
    assert.ok(figures && validateHostToWebview(figures).ok);
    // The panel computes them in a worker thread (dist/compareFiguresWorker.js, from npm run build): the same.
    const files = [
      { label: 'clean', role: 'clean', path: join(dir, 'clean.png') },
      { label: 'noisy', role: 'noisy', path: join(dir, 'noisy.png') },
    ];
    const worker = new Worker(join(__dirname, '..', 'dist', 'compareFiguresWorker.js'), {
      workerData: { title: 'pair', files },
    });
    const answer = await new Promise((resolve) => worker.once('message', resolve));
    await worker.terminate();
    assert.deepEqual(answer, { ok: true, figures });
    let squared = 0;
    for (let i = 0; i < clean.length; i++) squared += ((noisy[i] - clean[i]) / 255) ** 2;
    assert.equal(figures.figures.length, 1);
    assert.equal(figures.figures[0].image, 1);
    assert.ok(Math.abs(figures.figures[0].psnr - 10 * Math.log10(clean.length / squared)) < 1e-3);
    assert.ok(figures.figures[0].ssim > 0 && figures.figures[0].ssim < 1);

    // Gray files are sent gray: one byte a pixel.
    const g = Uint8Array.from({ length: 40 * 30 }, (_, i) => i % 256);
    await writePng(join(dir, 'a.png'), 40, 30, 1, g);
    await writePng(
      join(dir, 'b.png'),
      40,
      30,
      1,
      g.map((v) => 255 - v),
    );
    const grays = await readCompareFiles('gray', [
      { label: 'a', role: 'output', path: join(dir, 'a.png') },
      { label: 'b', role: 'output', path: join(dir, 'b.png') },
    ]);
    const grayAssembly = receive(compareMessages(grays));
    assert.equal(grayAssembly.images[1].channels, 1);
    assert.deepEqual([...channelBytes(grayAssembly.buffers[1], 1).subarray(0, 3)], [255, 254, 253]);
    assert.equal(await compareFigures(grays), undefined, 'no clean image, no figures');

    await writePng(join(dir, 'small.png'), 20, 30, 1, g.subarray(0, 600));
    await assert.rejects(
      readCompareFiles('mismatch', [
        { label: 'a', role: 'clean', path: join(dir, 'a.png') },
        { label: 'small', role: 'denoised', path: join(dir, 'small.png') },
      ]),
      /small\.png is 20x30 pixels but .*a\.png is 40x30: the compare view shows images of one size/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a run's sample grid opens as its clean, noisy and denoised columns, scored against clean", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'compare-grid-'));
  try {
    mkdirSync(join(dir, 'epochs'));
    const bytes = (seed: number) => Uint8Array.from({ length: 3 * 8 * 8 }, (_, i) => (i * seed) % 256);
    const file = join(dir, 'epochs', 'epoch-0002.png');
    writeSampleGrid(file, { count: 3, height: 8, width: 8, clean: bytes(3), noisy: bytes(5), denoised: bytes(3) });
    assert.ok(isSampleGrid(file) && isSampleGrid(join(dir, 'samples.png')) && !isSampleGrid(join(dir, 'x.png')));
    const set = gridColumnsAsCompareSet('run', readSampleGrid(dir, file));
    assert.deepEqual(
      set.images.map((i) => [i.info.role, i.info.width, i.info.height]),
      [
        ['clean', 8, 24],
        ['noisy', 8, 24],
        ['denoised', 8, 24],
      ],
    );
    const assembly = receive(compareMessages(set));
    assert.deepEqual([...channelBytes(assembly.buffers[1], 1)], [...bytes(5)]);
    const figures = (await compareFigures(set))!;
    assert.deepEqual(
      figures.figures.map((f) => [f.image, f.psnr, f.ssim]),
      [
        [1, figures.figures[0].psnr, figures.figures[0].ssim],
        [2, 100, 1],
      ],
      'the denoised column equals clean: PSNR at its cap, SSIM 1',
    );
    assert.ok(figures.figures[0].psnr < 20);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file names tell the role of an image', () => {
  assert.equal(roleFromFileName('photo-denoised.png'), 'denoised');
  assert.equal(roleFromFileName('noisy_042.tif'), 'noisy');
  assert.equal(roleFromFileName('clean.png'), 'clean');
  assert.equal(roleFromFileName('epoch-0003.png'), 'output');
});

test("the dashboard's compare mode offers clean and noisy once, then each run's output; no clean without one", () => {
  const samples = (clean: boolean, side = 28) => ({
    count: 1,
    height: side,
    width: side,
    ...(clean ? { clean: 'AAAA' } : {}),
    noisy: 'AAAA',
    denoised: 'AAAA',
  });
  const row = (name: string) => ({
    runDir: `/runs/${name}`,
    name,
    label: `${name} (10:00)`,
    status: 'completed' as const,
  });
  const columns = (runs: Parameters<typeof samplesColumns>[0]) =>
    samplesColumns(runs).map((c) => [c.label, c.role, c.field]);
  assert.deepEqual(
    columns([
      { row: row('a'), samples: samples(true) },
      { row: row('b'), samples: samples(true) },
      { row: row('c'), samples: samples(true, 32) },
    ]),
    [
      ['clean', 'clean', 'clean'],
      ['noisy', 'noisy', 'noisy'],
      ['a (10:00)', 'denoised', 'denoised'],
      ['b (10:00)', 'denoised', 'denoised'],
    ],
    'a run with digits of another size is left out',
  );
  assert.deepEqual(columns([{ row: row('n2v'), samples: samples(false) }]), [
    ['noisy', 'noisy', 'noisy'],
    ['n2v (10:00)', 'denoised', 'denoised'],
  ]);
  assert.deepEqual(samplesColumns([]), []);
});
