// Bundles the TypeScript entry points with esbuild. TensorFlow.js and koffi stay external: the wasm
// backend finds its .wasm files next to its own module, and koffi loads a native binary per platform.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['@tensorflow/*', 'koffi', 'vscode'],
};

await build({ ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist' });
console.log('built dist/cli.js');
