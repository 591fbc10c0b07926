/**
 * The layering of README.md's "Layout" section, as `npm run lint` enforces it: imports planted in files
 * that do not exist are reported (so the rules resolve real paths and are not silently passing), and the
 * real tree lints clean.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';

const root = join(__dirname, '..');
const eslint = new ESLint({ cwd: root });

/** The rules a planted file breaks, with their messages. */
async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

test('core importing a front end fails lint', async () => {
  const found = await problems(
    'src/core/runs/planted.ts',
    "import { ProgressReporter } from '../../cli/progressReporter';\nexport const reporter = ProgressReporter;\n",
  );
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(
    found[0],
    /^import-x\/no-restricted-paths: .*"\.\.\/\.\.\/cli\/progressReporter".*src\/core is the bottom layer/,
  );
});

test('the same file importing within core lints clean', async () => {
  const found = await problems(
    'src/core/runs/planted.ts',
    "import { runFile } from './runFiles';\nexport const file = runFile;\n",
  );
  assert.deepEqual(found, []);
});

test('front ends do not import each other, the app imports no front end, core imports no app', async () => {
  const cases: [string, string][] = [
    ['src/cli/planted.ts', "import { Lab } from '../extension/lab';\nexport const x = Lab;\n"],
    [
      'src/trainer/planted.ts',
      "import { printSummary } from '../cli/commands/summaryText';\nexport const x = printSummary;\n",
    ],
    ['src/app/planted.ts', "import { eventLogLine } from '../trainer/eventLog';\nexport const x = eventLogLine;\n"],
    ['src/core/planted/x.ts', "import { EXIT } from '../../app/exitCodes';\nexport const x = EXIT;\n"],
    ['src/protocol/planted.ts', "import { EXIT } from '../app/exitCodes';\nexport const x = EXIT;\n"],
  ];
  for (const [file, code] of cases) {
    const found = await problems(file, code);
    assert.equal(found.length, 1, `${file}: ${found.join('\n')}`);
    assert.match(found[0], /^import-x\/no-restricted-paths: /, file);
  }
});

test('a lower core folder importing a higher one fails lint', async () => {
  const found = await problems(
    'src/core/evaluation/planted.ts',
    "import { trainDenoiser } from '../training/trainer';\nexport const x = trainDenoiser;\n",
  );
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0], /^import-x\/no-restricted-paths: .*CORE_LAYERS/);
});

test('the page imports only the protocol and the pure app modules, and nothing of Node', async () => {
  const allowed = await problems(
    'webview/planted.ts',
    "import { formatDuration } from '../src/app/format';\n" +
      "import { RESULT_COLUMNS } from '../src/app/results/resultColumns';\n" +
      "import type { RunRow } from '../src/protocol/webviewMessages';\n" +
      'export const x: [unknown, unknown, RunRow[]] = [formatDuration, RESULT_COLUMNS, []];\n',
  );
  assert.deepEqual(allowed, []);
  const fileReading = await problems(
    'webview/planted.ts',
    "import { runRow } from '../src/app/runs/runRow';\nexport const x = runRow;\n",
  );
  assert.match(fileReading.join('\n'), /import-x\/no-restricted-paths: .*The page is fed by messages/);
  const node = await problems(
    'webview/planted.ts',
    "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
  );
  assert.match(node.join('\n'), /import-x\/no-nodejs-modules/);
  const impure = await problems(
    'src/app/results/planted.ts',
    "import { runRow } from '../runs/runRow';\nexport const x = runRow;\n",
  );
  assert.match(impure.join('\n'), /used by the page/);
});

test('only the extension imports vscode', async () => {
  const found = await problems(
    'src/core/planted/x.ts',
    "import * as vscode from 'vscode';\nexport const x = vscode;\n",
  );
  assert.match(found.join('\n'), /no-restricted-imports: .*Only src\/extension\//);
  assert.deepEqual(
    await problems('src/extension/planted.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n"),
    [],
  );
});

test('the tree lints clean', async () => {
  const results = await eslint.lintFiles(['.']);
  const errors = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}: ${m.message}`));
  assert.deepEqual(errors, []);
});

test("README.md's Layout section names every source folder, and the core layers in the order lint enforces", async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const layout = readme.slice(readme.indexOf('## Layout'), readme.indexOf('\n## ', readme.indexOf('## Layout') + 1));
  const folders = (dir: string) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  for (const folder of folders('src'))
    assert.ok(layout.includes(`\`src/${folder}/\``), `src/${folder}/ is in the Layout`);
  const { CORE_LAYERS } = (await import(pathToFileURL(join(root, 'eslint.config.mjs')).href)) as {
    CORE_LAYERS: string[][];
  };
  assert.deepEqual(folders('src/core').sort(), CORE_LAYERS.flat().sort(), 'every core folder has a layer');
  const written = CORE_LAYERS.map((layer) => layer.map((f) => `\`${f}\``).join(' ')).join('; ');
  assert.ok(layout.includes(written), `the Layout lists the core layers as ${written}`);
});
