/**
 * The models that ship with Denoise Lab (models/builtin-gray, models/builtin-colour) denoise the shipped
 * sample images on a fresh install, through `denoise apply --model builtin:NAME`, and a wrong name says
 * which names exist.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { listBuiltinModels, resolveModelRef } from '../src/core/apply/builtinModels';
import { InputError } from '../src/core/errors/inputError';

const root = path.join(__dirname, '..');
const bin = path.join(root, 'bin', 'denoise');
const samples = path.join(root, 'media', 'samples');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'denoise-builtin-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function denoise(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** PSNR in dB of an 8-bit file against another of the same size. */
async function psnr(file: string, reference: string): Promise<number> {
  const a = await sharp(file).raw().toBuffer();
  const b = await sharp(reference).raw().toBuffer();
  assert.equal(a.length, b.length, `${file} and ${reference} differ in size`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] - b[i]) / 255) ** 2;
  return 10 * Math.log10(1 / (sum / a.length));
}

test('both built-in models ship, as run folders with a trained model', () => {
  assert.deepEqual(
    listBuiltinModels().map((m) => m.ref),
    ['builtin:gray', 'builtin:colour'],
  );
  assert.equal(resolveModelRef('builtin:color'), resolveModelRef('builtin:colour'), 'the American spelling works');
  assert.equal(resolveModelRef('denoise-runs/x'), 'denoise-runs/x', 'a run folder passes through');
});

test('an unknown built-in name is refused with the names that exist', () => {
  assert.throws(
    () => resolveModelRef('builtin:sepia'),
    (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.match(
        err.message,
        /builtin:sepia is not a built-in model; the built-in models are builtin:gray, builtin:colour/,
      );
      return true;
    },
  );
  const { code, stderr } = denoise(
    'apply',
    '--model',
    'builtin:sepia',
    path.join(samples, 'chart-gray-noisy-sigma25.png'),
    '--out',
    tmp,
  );
  assert.equal(code, 2, stderr);
  assert.match(stderr, /builtin:gray, builtin:colour/);
});

for (const [name, sample] of [
  ['gray', 'chart-gray'],
  ['colour', 'chart-colour'],
] as const) {
  test(`denoise apply --model builtin:${name} cleans the shipped ${sample} sample (σ 25) by several dB`, async () => {
    const noisy = path.join(samples, `${sample}-noisy-sigma25.png`);
    const clean = path.join(samples, `${sample}-clean.png`);
    const out = path.join(tmp, name);
    const { code, stderr } = denoise('apply', '--model', `builtin:${name}`, noisy, '--out', out);
    assert.equal(code, 0, stderr);
    const before = await psnr(noisy, clean);
    const after = await psnr(path.join(out, path.basename(noisy)), clean);
    assert.ok(before < 21, `the sample is noisy: ${before.toFixed(2)} dB`);
    assert.ok(after > before + 6, `builtin:${name}: ${before.toFixed(2)} dB in, ${after.toFixed(2)} dB out`);
  });
}
