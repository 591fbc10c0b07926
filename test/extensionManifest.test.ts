/**
 * package.json's extension manifest against the code: every command has a handler and the other way
 * round, menus name real commands, referenced files exist, and the extension bundle leaves training out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = pkg.contributes;
const source = (file: string) => readFileSync(join(root, 'src', 'extension', file), 'utf8');

test('every contributed command has a handler, and every handler a contributed command, all in "Denoise Lab"', () => {
  const handled = [...source('commands/registerCommands.ts').matchAll(/'(denoiseLab\.\w+)':/g)].map((m) => m[1]).sort();
  const contributed = contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.deepEqual(handled, contributed);
  for (const command of contributes.commands) assert.equal(command.category, 'Denoise Lab', command.command);
  const titles = contributes.commands.map((c: { title: string }) => c.title);
  for (const title of [
    'New Experiment',
    'Run Experiment',
    'Run Sweep',
    'Stop Run',
    'Open Dashboard',
    'Preview Noise',
    'Compare Runs',
    'Open Run Folder',
    'Export Results',
  ]) {
    assert.ok(titles.includes(title), title);
  }
});

test('menus, keybindings, welcome views and the walkthrough only name contributed commands', () => {
  const known = new Set(contributes.commands.map((c: { command: string }) => c.command));
  const referenced = [
    ...Object.values(contributes.menus).flatMap((items) => (items as { command: string }[]).map((i) => i.command)),
    ...contributes.keybindings.map((k: { command: string }) => k.command),
    ...[
      ...JSON.stringify([contributes.viewsWelcome, contributes.walkthroughs]).matchAll(/command:(denoiseLab\.\w+)/g),
    ].map((m) => m[1]),
  ];
  for (const command of referenced) assert.ok(known.has(command), command);
  const runButton = contributes.menus['editor/title'].find(
    (m: { command: string }) => m.command === 'denoiseLab.runExperiment',
  );
  assert.match(runButton.when, /denoise\\\.json/);
});

test('views and panels in the manifest are the ones the code registers', () => {
  const views = contributes.views.denoiseLab.map((v: { id: string }) => v.id);
  assert.deepEqual(views, ['denoiseLab.experiments', 'denoiseLab.runs', 'denoiseLab.reconstructions']);
  assert.match(source('views/experimentsTree.ts'), /EXPERIMENTS_VIEW_ID = 'denoiseLab\.experiments'/);
  assert.match(source('views/runsTree.ts'), /RUNS_VIEW_ID = 'denoiseLab\.runs'/);
  assert.match(source('webviews/reconstructionsView.ts'), /RECONSTRUCTIONS_VIEW_ID = 'denoiseLab\.reconstructions'/);
  assert.match(source('webviews/dashboardPanel.ts'), /DASHBOARD_VIEW_TYPE = 'denoiseLab\.dashboard'/);
  assert.ok(
    pkg.activationEvents.includes('onWebviewPanel:denoiseLab.dashboard'),
    'the dashboard is restored after a reload',
  );
  assert.ok(pkg.activationEvents.includes('workspaceContains:**/*.denoise.json'));
});

test('experiment files get the schema while typing; untrusted workspaces are supported in limited mode', () => {
  assert.deepEqual(contributes.jsonValidation, [
    { fileMatch: '*.denoise.json', url: './schema/denoise-experiment.schema.json' },
  ]);
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.deepEqual(Object.keys(contributes.configuration.properties).sort(), [
    'denoiseLab.allowedPaths',
    'denoiseLab.blasThreads',
    'denoiseLab.engine',
    'denoiseLab.maxParallelRuns',
    'denoiseLab.runsFolder',
    'denoiseLab.slurm.account',
    'denoiseLab.slurm.cpusPerTask',
    'denoiseLab.slurm.gres',
    'denoiseLab.slurm.mem',
    'denoiseLab.slurm.partition',
    'denoiseLab.slurm.time',
  ]);
});

test('every file the manifest points at exists', () => {
  const files = [
    pkg.icon,
    contributes.jsonValidation[0].url,
    ...contributes.viewsContainers.activitybar.map((c: { icon: string }) => c.icon),
    ...contributes.walkthroughs.flatMap((w: { steps: { media: { markdown: string } }[] }) =>
      w.steps.map((s) => s.media.markdown),
    ),
    'dist/extension.js',
    'dist/trainer.js',
    'dist/webview.js',
    'dist/webview.css',
  ];
  for (const file of files) assert.ok(existsSync(join(root, file)), `${file} (dist/ comes from npm run build)`);
});

test('the extension host bundle does not load TensorFlow.js or koffi: training stays in the trainer', () => {
  const bundle = readFileSync(join(root, 'dist', 'extension.js'), 'utf8');
  assert.doesNotMatch(bundle, /require\(["']@tensorflow\//);
  assert.doesNotMatch(bundle, /require\(["']koffi["']\)/);
  assert.match(readFileSync(join(root, 'dist', 'trainer.js'), 'utf8'), /require\(["']@tensorflow\/tfjs["']\)/);
});
