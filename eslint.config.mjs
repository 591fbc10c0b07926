// The project's lint: the layering of README.md's "Layout" section, unused code, and a few correctness rules.
// A lint error is a design question (where does this belong?), not something to silence.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));

const FRONT_ENDS = ['src/cli', 'src/trainer', 'src/extension'];
/** The modules of src/app the page may use: no Node, no file system, nothing from core. */
const PAGE_SAFE_APP = ['src/app/format.ts', 'src/app/results'];

const others = (frontEnd) => [...FRONT_ENDS.filter((f) => f !== frontEnd), 'webview'];

/** The folders of src/core, bottom first: a folder imports only from its own layer and those below it. */
export const CORE_LAYERS = [
  ['random', 'config', 'errors', 'process', 'files', 'images'],
  ['data'],
  ['noise', 'metrics', 'baselines', 'postprocess', 'readability', 'engine'],
  ['models'],
  ['evaluation'],
  ['training'],
  ['runs'],
  ['experiment', 'sweep', 'apply', 'export'],
];
const coreFolders = (layers) => layers.flat().map((folder) => `src/core/${folder}`);
const coreZones = CORE_LAYERS.slice(0, -1).map((layer, i) => ({
  target: coreFolders([layer]),
  from: coreFolders(CORE_LAYERS.slice(i + 1)),
  message: 'Core folders are layered (CORE_LAYERS in eslint.config.mjs), this one below that; move the piece down.',
}));

/** core ← protocol ← app ← front ends (cli, trainer, extension); the page (webview) sees protocol and pure app. */
const zones = [
  ...coreZones,
  {
    target: 'src/core',
    from: ['src/protocol', 'src/app', ...FRONT_ENDS, 'webview'],
    message: 'src/core is the bottom layer and imports nothing above it; move the shared piece down into core.',
  },
  {
    target: 'src/protocol',
    from: ['src/app', ...FRONT_ENDS, 'webview'],
    message: 'src/protocol sits on core only.',
  },
  {
    target: 'src/app',
    from: [...FRONT_ENDS, 'webview'],
    message: 'src/app is shared by the front ends and imports none of them; move the piece into src/app.',
  },
  ...FRONT_ENDS.map((frontEnd) => ({
    target: frontEnd,
    from: others(frontEnd),
    message: 'Front ends never import each other; what two of them share belongs in src/app.',
  })),
  {
    target: 'webview',
    from: 'src',
    except: ['./protocol', ...PAGE_SAFE_APP.map((p) => `./${p.replace(/^src\//, '')}`)],
    message: `The page is fed by messages: it imports only src/protocol and ${PAGE_SAFE_APP.join(', ')}.`,
  },
  {
    target: PAGE_SAFE_APP,
    from: 'src/core',
    message: 'This app module is used by the page, so it cannot import core.',
  },
  {
    target: PAGE_SAFE_APP,
    from: 'src/app',
    except: PAGE_SAFE_APP.map((p) => `./${p.replace(/^src\/app\//, '')}`),
    message: 'This app module is used by the page, so it imports only the other pure app modules.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-results/**',
      '.vscode-test/**',
      '**/*.generated.ts',
      '.tmp/**',
      'denoise-runs/**',
    ],
  },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      parser: tseslint.parser,
      ecmaVersion: 2022,
      sourceType: 'module',
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] })],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Prettier wraps code at 120 columns but leaves comments and long strings alone; this keeps comments there too.
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      'no-async-promise-executor': 'error',
      'no-compare-neg-zero': 'error',
      'no-cond-assign': 'error',
      'no-constant-binary-expression': 'error',
      'no-debugger': 'error',
      'no-dupe-else-if': 'error',
      'no-dupe-keys': 'error',
      'no-duplicate-case': 'error',
      'no-loss-of-precision': 'error',
      'no-self-assign': 'error',
      'no-self-compare': 'error',
      'no-sparse-arrays': 'error',
      'no-unsafe-finally': 'error',
      'no-unsafe-negation': 'error',
      'no-var': 'error',
      'prefer-const': 'error',
      'use-isnan': 'error',
      'valid-typeof': 'error',
      'import-x/no-duplicates': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones }],
    },
  },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    ignores: ['src/extension/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'Only src/extension/ talks to VS Code; the rest runs without it.' }] },
      ],
    },
  },
  {
    files: ['webview/**/*.ts', ...PAGE_SAFE_APP.map((p) => (p.endsWith('.ts') ? p : `${p}/**/*.ts`))],
    rules: { 'import-x/no-nodejs-modules': 'error' },
  },
);
