/**
 * Denoise Image…'s run picker (src/extension/host/applyRunChoices.ts): usable runs newest first with their test
 * PSNR and what they were trained on, then the built-in models, then the runs that cannot denoise the images,
 * each with its reason; and where the results go by default.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listRuns } from '../src/core/runs/listRuns';
import { applyRunChoices, builtinModels } from '../src/extension/host/applyRunChoices';
import { defaultOutputFolder, inputChannels, outputFolderProblem } from '../src/extension/host/applyTargets';
import { encodeRgb, grayPng, rgbBytes } from './helpers/imageFiles';
import { runConfig } from './helpers/applyRunFolder';

const root = mkdtempSync(join(tmpdir(), 'denoise-picker-'));
const runs = join(root, 'denoise-runs');

/** A run folder as training leaves it: config, a model file unless `model` is false, a summary when `psnr`. */
function writeRun(
  folder: string,
  config: ReturnType<typeof runConfig>,
  opts: { model?: boolean; psnr?: number; startedAt: string },
) {
  const dir = join(runs, folder);
  mkdirSync(join(dir, 'model'), { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  if (opts.model !== false) writeFileSync(join(dir, 'model', 'model.json'), '{}');
  writeFileSync(join(dir, 'status.json'), JSON.stringify({ status: 'completed', pid: 1, startedAt: opts.startedAt }));
  if (opts.psnr !== undefined) {
    const quality = { mse: 0.001, psnr: opts.psnr, ssim: 0.8, count: 4 };
    writeFileSync(
      join(dir, 'summary.json'),
      JSON.stringify({
        name: config.name,
        status: 'completed',
        startedAt: opts.startedAt,
        dataset: 'image folder train400 (gray)',
        noise: 'Gaussian σ=25/255',
        metrics: { test: { denoised: quality, noisyInput: quality }, train: {}, val: {} },
      }),
    );
  }
  return dir;
}

const dncnn = { type: 'dncnn', depth: 3, filters: 4, batchNorm: false };
writeRun('2026-01-01T10-00-00-old-gray', runConfig('old-gray', 1, dncnn), {
  psnr: 27.5,
  startedAt: '2026-01-01T10:00:00Z',
});
writeRun('2026-01-03T10-00-00-new-gray', runConfig('new-gray', 1, dncnn), {
  psnr: 29.125,
  startedAt: '2026-01-03T10:00:00Z',
});
writeRun('2026-01-02T10-00-00-colour', runConfig('colour', 3, dncnn), { psnr: 30, startedAt: '2026-01-02T10:00:00Z' });
writeRun('2026-01-04T10-00-00-unfinished', runConfig('unfinished', 1, dncnn), {
  model: false,
  startedAt: '2026-01-04T10:00:00Z',
});
const extension = join(root, 'extension');
mkdirSync(join(extension, 'models', 'builtin-gray', 'model'), { recursive: true });
writeFileSync(
  join(extension, 'models', 'builtin-gray', 'config.json'),
  JSON.stringify(runConfig('builtin-gray', 1, dncnn)),
);
writeFileSync(join(extension, 'models', 'builtin-gray', 'model', 'model.json'), '{}');

test('for a gray image: gray runs newest first with PSNR and training data, then the built-in, then refusals', () => {
  const rows = applyRunChoices(listRuns(runs), builtinModels(extension), new Set([1]));
  assert.deepEqual(
    rows.map((r) => [r.label, r.description, r.refusal !== undefined]),
    [
      ['new-gray', 'test PSNR 29.13 dB', false],
      ['old-gray', 'test PSNR 27.50 dB', false],
      ['Built-in gray denoiser', 'no test PSNR', false],
      ['unfinished', 'no test PSNR', true],
      ['colour', 'test PSNR 30.00 dB', true],
    ],
  );
  assert.equal(
    rows[0].detail,
    'image folder train400 (gray) · Gaussian σ=25/255 · gray (1 channel) · 2026-01-03 10:00',
  );
  assert.equal(rows[2].detail, 'image folder photos · Gaussian σ=25/255 · gray (1 channel)', 'from its config');
  assert.match(rows[3].refusal!, /^no trained model \(no model\/model\.json\): the run did not finish/);
  assert.equal(rows[4].refusal, 'takes colour (3 channels) images, and the image is gray (1 channel)');
  assert.equal(builtinModels(extension).length, 1, 'only the built-in models that exist are listed');
});

test('for a colour image the colour run comes first; a dense MNIST run is refused with its reason', () => {
  writeRun(
    '2026-01-05T10-00-00-digits',
    { ...runConfig('digits', 1, dncnn), model: { type: 'dense' } as never },
    {
      psnr: 20,
      startedAt: '2026-01-05T10:00:00Z',
    },
  );
  const rows = applyRunChoices(listRuns(runs), [], new Set([3]));
  assert.equal(rows[0].label, 'colour');
  assert.equal(rows[0].refusal, undefined);
  const digits = rows.find((r) => r.label === 'digits')!;
  assert.match(digits.refusal!, /a dense model takes only its fixed image size; pick a conv, dncnn or unet run/);
  assert.ok(rows.indexOf(digits) > 0, 'refused rows come after the usable ones, although it is the newest');
  const mixed = applyRunChoices(listRuns(runs), [], new Set([1, 3]));
  assert.ok(
    mixed.every((r) => r.refusal),
    'no model takes both gray and colour images',
  );
  assert.match(mixed.find((r) => r.label === 'new-gray')!.refusal!, /some of these images are colour/);
});

test('channel counts are read from the files; results go to a sibling denoised/ folder, never an input folder', async () => {
  const photos = join(root, 'photos');
  mkdirSync(photos, { recursive: true });
  writeFileSync(
    join(photos, 'gray.png'),
    grayPng(8, 8, (x) => x * 20),
  );
  writeFileSync(
    join(root, 'colour.webp'),
    await encodeRgb(
      rgbBytes(8, 8, (x, y, c) => x + c * 40),
      8,
      8,
      'webp',
    ),
  );
  assert.deepEqual([...(await inputChannels([photos]))], [1]);
  assert.deepEqual([...(await inputChannels([photos, join(root, 'colour.webp')]))].sort(), [1, 3]);

  assert.equal(defaultOutputFolder(join(photos, 'gray.png')), join(photos, 'denoised'));
  assert.equal(defaultOutputFolder(photos), join(root, 'denoised'));
  assert.equal(defaultOutputFolder(join(root, 'denoised')), join(root, 'denoised-denoised'));
  assert.equal(outputFolderProblem(join(photos, 'denoised'), [join(photos, 'gray.png')]), undefined);
  assert.match(outputFolderProblem(photos, [join(photos, 'gray.png')])!, /holds the input gray\.png/);
  assert.match(outputFolderProblem(join(photos, 'out'), [photos])!, /is inside the input folder/);
  assert.match(outputFolderProblem(photos, [photos])!, /is inside the input folder/);
});
