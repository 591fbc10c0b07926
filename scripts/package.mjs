// Builds platform-specific VSIX packages: `vsce package --target T` with only T's koffi binary.
//   node scripts/package.mjs                    the machine's own platform, to denoise-lab.vsix
//   node scripts/package.mjs --all              every target, to denoise-lab-<target>.vsix
//   node scripts/package.mjs --target darwin-arm64 [--out FILE]
//   node scripts/package.mjs --list [--target T | --all]   print each target's file list as JSON, no package
// koffi ships its native binary in one npm package per platform (@koromix/koffi-<platform>), and so does
// sharp (@img/sharp-<platform>, with libvips in @img/sharp-libvips-<platform> except on Windows); npm installs
// only the machine's own, so the others are fetched from the npm registry with `npm pack` (once, into
// ${DENOISE_PACKAGE_CACHE:-~/.cache/denoise-lab-package}) and unpacked into node_modules/.
// dist/ must be built first (`npm run package` does).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
/** vsce's target names and the folder of koffi's binary in each platform package. */
export const TARGETS = {
  'linux-x64': 'linux_x64',
  'linux-arm64': 'linux_arm64',
  'darwin-x64': 'darwin_x64',
  'darwin-arm64': 'darwin_arm64',
  'win32-x64': 'win32_x64',
};

const packageJson = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));

/** node_modules/<scope>/<name>@version, fetched and unpacked when npm did not install it. */
function ensurePlatformPackage(name, version) {
  const dir = join(root, 'node_modules', name);
  const installed = join(dir, 'package.json');
  if (existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === version) return;
  const cache = process.env.DENOISE_PACKAGE_CACHE || join(homedir(), '.cache', 'denoise-lab-package');
  mkdirSync(cache, { recursive: true });
  const tarball = join(cache, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
  if (!existsSync(tarball)) {
    execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', cache], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const unpacked = mkdtempSync(join(tmpdir(), 'denoise-platform-'));
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, '..'), { recursive: true });
  renameSync(join(unpacked, 'package'), dir);
  rmSync(unpacked, { recursive: true, force: true });
}

/** The target's native packages: koffi's binary, sharp's binary and (outside Windows) the libvips it links. */
function platformPackages(target) {
  const sharp = packageJson('sharp');
  const packages = [{ name: `@koromix/koffi-${target}`, version: packageJson('koffi').version }];
  packages.push({ name: `@img/sharp-${target}`, version: sharp.version });
  const libvips = sharp.optionalDependencies[`@img/sharp-libvips-${target}`];
  if (libvips) packages.push({ name: `@img/sharp-libvips-${target}`, version: libvips });
  return packages;
}

function ensurePlatformPackages(target) {
  for (const { name, version } of platformPackages(target)) ensurePlatformPackage(name, version);
}

/**
 * .vscodeignore plus the lines that bring in the given targets' native packages (one target's for a package):
 * koffi's binary, and sharp's binary with libvips (sharp's JavaScript is bundled into dist/, scripts/build.mjs).
 */
function ignoreFileFor(targets) {
  const lines = targets.flatMap((target) => {
    const pkg = `node_modules/@koromix/koffi-${target}`;
    const sharp = `node_modules/@img/sharp-${target}`;
    const libvips = `node_modules/@img/sharp-libvips-${target}`;
    return [
      `# ${target}'s koffi binary (scripts/package.mjs)`,
      `!${pkg}/package.json`,
      `!${pkg}/index.js`,
      `!${pkg}/${TARGETS[target]}/koffi.node`,
      `# ${target}'s sharp binary and the libvips it links (image files: Denoise Image…, image-folder datasets)`,
      `!${sharp}/package.json`,
      `!${sharp}/index.cjs`,
      `!${sharp}/LICENSE`,
      `!${sharp}/lib/*`,
      `!${libvips}/package.json`,
      `!${libvips}/lib/index.js`,
      `!${libvips}/lib/libvips*`,
    ];
  });
  const file = join(root, '.tmp', `vscodeignore-${targets.join('+')}`);
  mkdirSync(join(root, '.tmp'), { recursive: true });
  writeFileSync(file, `${readFileSync(join(root, '.vscodeignore'), 'utf8')}\n${lines.join('\n')}\n`);
  return file;
}

const vsce = join(root, 'node_modules', '.bin', 'vsce');
const FLAGS = ['--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links'];

/**
 * Each target's file list, from one `vsce ls` (each run spends most of its time in `npm list`). A file is
 * packaged when no pattern ignores it or a ! pattern brings it back; a target's own ! lines match only
 * files of its koffi package, so its list is the joint one without the other targets' koffi packages.
 */
export function listFiles(targets) {
  for (const target of targets) ensurePlatformPackages(target);
  const out = execFileSync(vsce, ['ls', '--ignoreFile', ignoreFileFor(targets)], { cwd: root, encoding: 'utf8' });
  const files = out.trim().split('\n');
  const platformOf = (file) =>
    /^node_modules\/(?:@koromix\/koffi|@img\/sharp-libvips|@img\/sharp)-([^/]+)\//.exec(file)?.[1];
  return Object.fromEntries(targets.map((t) => [t, files.filter((f) => (platformOf(f) ?? t) === t)]));
}

export function packageTarget(target, out) {
  ensurePlatformPackages(target);
  execFileSync(vsce, ['package', '--target', target, '--ignoreFile', ignoreFileFor([target]), ...FLAGS, '--out', out], {
    cwd: root,
    stdio: 'inherit',
  });
}

function parse(argv) {
  const targets = [];
  let out;
  let all = false;
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--target') targets.push(argv[++i]);
    else if (argv[i] === '--out') out = argv[++i];
    else if (argv[i] === '--all') all = true;
    else if (argv[i] === '--list') list = true;
    else throw new Error(`unknown argument ${argv[i]}; use --target T, --all, --out FILE or --list`);
  }
  for (const t of targets)
    if (!TARGETS[t]) throw new Error(`unknown target ${t}; the targets are ${Object.keys(TARGETS).join(', ')}`);
  const host = `${process.platform}-${process.arch}`;
  if (!all && targets.length === 0 && !TARGETS[host])
    throw new Error(`this machine (${host}) is not a target; pass --target`);
  const chosen = all ? Object.keys(TARGETS) : targets.length ? targets : [host];
  if (out && chosen.length > 1) throw new Error('--out names one file: give one --target');
  return { chosen, out, all, list };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { chosen, out, all, list } = parse(process.argv.slice(2));
  if (!existsSync(join(root, 'dist', 'trainer.js'))) throw new Error('dist/ is missing: run "npm run build" first');
  if (list) {
    process.stdout.write(`${JSON.stringify(listFiles(chosen))}\n`);
  } else {
    for (const target of chosen) {
      const file = out ?? (all ? `denoise-lab-${target}.vsix` : 'denoise-lab.vsix');
      packageTarget(target, resolve(root, file));
    }
  }
}
