import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { encodeRgb, gray16Tiff, grayPng, rgbBytes } from './helpers/imageFiles';
import { denoiseCli, trainImageRun } from './helpers/trainImageRun';

const denoise = (...args: string[]) => denoiseCli(args);

/** A picture of flat blocks, easy to denoise: 0-255. */
const clean = (x: number, y: number) => ((Math.floor(x / 6) * 3 + Math.floor(y / 5) * 7) % 4) * 50 + 40;
/** Seeded Gaussian noise of σ 25 on the 0-255 scale. */
function noisyValues(width: number, height: number, max: number, seed: number): number[] {
  let s = seed;
  const uniform = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) + 1) / (2 ** 31 + 1);
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const n = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
      out.push(Math.round(Math.min(max, Math.max(0, ((clean(x, y) + 25 * n) / 255) * max))));
    }
  }
  return out;
}
/** Mean squared error on the 0-1 scale of a decoded gray file against the clean picture. */
async function errorAgainstClean(file: string): Promise<number> {
  const { data, info } = await sharp(file)
    .raw({ depth: 'ushort' })
    .toColourspace('grey16')
    .toBuffer({ resolveWithObject: true });
  const words = new Uint16Array(data.buffer, data.byteOffset, data.length / 2);
  let sum = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) sum += (words[y * info.width + x] / 65535 - clean(x, y) / 255) ** 2;
  }
  return sum / (info.width * info.height);
}

let tmp: string;
let runDir: string;
const W = 45;
const H = 31;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'denoise-apply-'));
  for (let i = 0; i < 4; i++) {
    const file = path.join(tmp, 'train', `t${i}.png`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      grayPng(40 + 3 * i, 36, (x, y) => clean(x + 5 * i, y + 2 * i)),
    );
  }
  runDir = trainImageRun(path.join(tmp, 'train'), path.join(tmp, 'runs'), {
    'model.depth': 4,
    'model.filters': 8,
    'training.patchesPerEpoch': 1024,
    'training.epochs': 6,
    'training.learningRate': 0.003,
    'training.learningRateSchedule.warmupBatches': 5,
  });
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function writeNoisyInputs(dir: string): Promise<void> {
  fs.mkdirSync(path.join(dir, 'deep'), { recursive: true });
  const png = noisyValues(W, H, 255, 1);
  fs.writeFileSync(
    path.join(dir, 'photo.png'),
    grayPng(W, H, (x, y) => png[y * W + x]),
  );
  const jpeg = noisyValues(W, H, 255, 2);
  await sharp(Buffer.from(jpeg), { raw: { width: W, height: H, channels: 1 } })
    .toColourspace('b-w')
    .jpeg({ quality: 98 })
    .toFile(path.join(dir, 'shot.jpg'));
  fs.writeFileSync(path.join(dir, 'deep', 'scan.tif'), gray16Tiff(W, H, noisyValues(W, H, 65535, 3)));
}

test('apply denoises PNG, JPEG and 16-bit TIFF files of a folder: same names, formats and depths', async () => {
  const inputs = path.join(tmp, 'noisy');
  await writeNoisyInputs(inputs);
  const out = path.join(tmp, 'out');
  const result = denoise('apply', runDir, inputs, '--out', out, '--json', '--tile', '16');
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; output?: string });
  assert.deepEqual(
    lines.filter((l) => l.type === 'file').map((l) => path.relative(out, l.output!)),
    [path.join('deep', 'scan.tif'), 'photo.png', 'shot.jpg'],
  );
  for (const [name, format, depth] of [
    ['photo.png', 'png', 'uchar'],
    ['shot.jpg', 'jpeg', 'uchar'],
    [path.join('deep', 'scan.tif'), 'tiff', 'ushort'],
  ] as const) {
    const meta = await sharp(path.join(out, name)).metadata();
    assert.deepEqual([meta.format, meta.depth, meta.width, meta.height, meta.channels], [format, depth, W, H, 1], name);
    const before = await errorAgainstClean(path.join(inputs, name));
    const after = await errorAgainstClean(path.join(out, name));
    assert.ok(after < 0.5 * before, `${name}: MSE ${before.toFixed(5)} noisy, ${after.toFixed(5)} denoised`);
  }
  assert.deepEqual(
    fs.readdirSync(out).filter((f) => f.endsWith('.tmp')),
    [],
    'no temporary files left',
  );

  const text = denoise('apply', runDir, path.join(inputs, 'photo.png'), '--out', path.join(tmp, 'one'));
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stderr, /1\/1 .*photo\.png -> .*one\/photo\.png +45x31/);
  assert.ok(fs.existsSync(path.join(tmp, 'one', 'photo.png')));
});

test('bad input exits with 2, says what to fix, and writes no output file', async () => {
  const bad = path.join(tmp, 'bad');
  fs.mkdirSync(bad, { recursive: true });
  fs.writeFileSync(path.join(bad, 'good.png'), grayPng(W, H, clean));
  fs.writeFileSync(
    path.join(bad, 'colour.png'),
    await encodeRgb(
      rgbBytes(8, 8, (x, y, c) => 30 * c + x),
      8,
      8,
      'png',
    ),
  );
  const out = path.join(tmp, 'bad-out');
  const colour = denoise('apply', runDir, bad, '--out', out);
  assert.equal(colour.code, 2);
  assert.match(
    colour.stderr,
    /colour\.png: the image is colour \(3 channels, not all equal\) but the model takes gray \(1 channel\)/,
  );
  assert.equal(fs.existsSync(out), false, 'nothing written, not even good.png');

  fs.rmSync(path.join(bad, 'colour.png'));
  fs.writeFileSync(path.join(bad, 'broken.png'), 'not a png at all');
  const broken = denoise('apply', runDir, bad, '--out', out);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /broken\.png: not a readable image/);
  assert.equal(fs.existsSync(out), false);

  fs.rmSync(path.join(bad, 'broken.png'));
  const same = denoise('apply', runDir, bad, '--out', bad);
  assert.equal(same.code, 2);
  assert.match(same.stderr, /is the input folder/);

  const unfinished = path.join(tmp, 'unfinished-run');
  fs.mkdirSync(unfinished);
  fs.copyFileSync(path.join(runDir, 'config.json'), path.join(unfinished, 'config.json'));
  const noModel = denoise('apply', unfinished, bad, '--out', out);
  assert.equal(noModel.code, 2);
  assert.match(noModel.stderr, /has no trained model/);
  assert.equal(fs.existsSync(out), false);

  const missing = denoise('apply', runDir, path.join(tmp, 'nowhere.png'), '--out', out);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nowhere\.png: no such file or folder/);
});

test('a gray model takes an RGB file of three equal channels, says so, and writes RGB with the gray result', async () => {
  const dir = path.join(tmp, 'rgb-gray');
  fs.mkdirSync(dir, { recursive: true });
  const values = noisyValues(W, H, 255, 4);
  fs.writeFileSync(
    path.join(dir, 'gray.png'),
    grayPng(W, H, (x, y) => values[y * W + x]),
  );
  fs.writeFileSync(
    path.join(dir, 'rgb.png'),
    await encodeRgb(
      rgbBytes(W, H, (x, y) => values[y * W + x]),
      W,
      H,
      'png',
    ),
  );
  const out = path.join(tmp, 'rgb-gray-out');
  const result = denoise('apply', runDir, dir, '--out', out);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /rgb\.png +45x31 .*RGB with three equal channels: denoised as gray, written as RGB/);
  assert.doesNotMatch(result.stderr, /gray\.png .*equal channels/);
  const channelsOf = async (name: string) => (await sharp(path.join(out, name)).metadata()).channels;
  assert.deepEqual([await channelsOf('gray.png'), await channelsOf('rgb.png')], [1, 3]);
  const gray = await sharp(path.join(out, 'gray.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const rgb = await sharp(path.join(out, 'rgb.png')).raw().toBuffer({ resolveWithObject: true });
  for (let i = 0; i < W * H; i++) {
    const v = gray.data[i];
    assert.deepEqual([...rgb.data.subarray(3 * i, 3 * i + 3)], [v, v, v], `pixel ${i}`);
  }
});

test('eval measures a patch-trained run again on its whole test images: the figures its summary holds', () => {
  const result = denoise('eval', runDir, '--json');
  assert.equal(result.code, 0, result.stderr);
  const measured = JSON.parse(result.stdout) as {
    test: { denoised: { psnr: number; ssim: number; count: number }; noisyInput: { psnr: number } };
  };
  const summary = JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as {
    metrics: { test: typeof measured.test };
  };
  const saved = summary.metrics.test;
  assert.equal(measured.test.denoised.count, saved.denoised.count);
  assert.ok(Math.abs(measured.test.denoised.psnr - saved.denoised.psnr) < 1e-4, JSON.stringify([measured, saved]));
  assert.ok(Math.abs(measured.test.denoised.ssim - saved.denoised.ssim) < 1e-5);
  assert.ok(Math.abs(measured.test.noisyInput.psnr - saved.noisyInput.psnr) < 1e-9);
  assert.ok(measured.test.denoised.psnr > measured.test.noisyInput.psnr + 3, 'the model denoises');
  const table = denoise('eval', runDir);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /denoised +\S+ +\d+\.\d\d dB/);
  // At σ 50 the noisy input is 6 dB below σ 25 (twice the noise, not clipped), and the result is worse too.
  const at50 = denoise('eval', runDir, '--sigma', '50', '--json');
  assert.equal(at50.code, 0, at50.stderr);
  const harder = JSON.parse(at50.stdout) as { sigma: number; test: typeof measured.test };
  assert.equal(harder.sigma, 50);
  const drop = measured.test.noisyInput.psnr - harder.test.noisyInput.psnr;
  assert.ok(Math.abs(drop - 20 * Math.log10(2)) < 0.1, `noisy input ${drop} dB lower`);
  assert.ok(harder.test.denoised.psnr < measured.test.denoised.psnr);
});

test("eval --gray-model measures a colour run's test images denoised one channel at a time by a gray model", async () => {
  const colourTrain = path.join(tmp, 'colour-train');
  fs.mkdirSync(colourTrain, { recursive: true });
  for (let i = 0; i < 2; i++)
    fs.writeFileSync(
      path.join(colourTrain, `c${i}.png`),
      await encodeRgb(
        rgbBytes(36 + 4 * i, 32, (x, y, c) => clean(x + 3 * c + i, y + 2 * c)),
        36 + 4 * i,
        32,
        'png',
      ),
    );
  const colourRun = trainImageRun(colourTrain, path.join(tmp, 'colour-runs'), {
    'dataset.channels': 3,
    'model.depth': 3,
    'model.filters': 4,
    'training.patchesPerEpoch': 64,
    'training.epochs': 1,
  });
  const own = JSON.parse(denoise('eval', colourRun, '--json').stdout) as { test: { noisyInput: { psnr: number } } };
  const perChannel = denoise('eval', colourRun, '--gray-model', runDir, '--json');
  assert.equal(perChannel.code, 0, perChannel.stderr);
  const measured = JSON.parse(perChannel.stdout) as {
    grayModel: string;
    test: { denoised: { psnr: number; count: number }; noisyInput: { psnr: number } };
  };
  assert.equal(measured.grayModel, runDir);
  assert.equal(measured.test.denoised.count, 2);
  // The same noisy test images; the gray model, trained for six epochs, cleans each channel.
  assert.equal(measured.test.noisyInput.psnr, own.test.noisyInput.psnr);
  assert.ok(measured.test.denoised.psnr > measured.test.noisyInput.psnr + 1, JSON.stringify(measured.test));
  assert.match(denoise('eval', colourRun, '--gray-model', runDir).stdout, /gray model per channel +\S+ +\d+\.\d\d dB/);
  // A colour model is no gray model, and a gray run has no colour images.
  const wrong = denoise('eval', runDir, '--gray-model', colourRun);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /needs a gray model .* takes 3 channels\) and a colour run .* takes 1\)/);
});
