/**
 * Runs started from VS Code read data and write run folders only inside the workspace folders, unless the
 * user's denoiseLab.allowedPaths setting names a folder; untrusted workspaces start nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALLOWED_PATHS_SETTING, pathsOutsideWorkspace } from '../src/extension/host/pathBoundary';
import { RunService, UNTRUSTED_MESSAGE } from '../src/extension/host/runService';

const root = join(__dirname, '..');
const base = mkdtempSync(join(tmpdir(), 'denoise-boundary-'));
const workspace = join(base, 'workspace');
const outside = join(base, 'elsewhere');
mkdirSync(join(workspace, 'data'), { recursive: true });
mkdirSync(join(outside, 'pngs'), { recursive: true });
symlinkSync(join(outside, 'pngs'), join(workspace, 'data', 'link-out'));

function experiment(name: string, dataset: Record<string, unknown>, output: Record<string, unknown> = {}): string {
  const file = join(workspace, `${name}.denoise.json`);
  const config = {
    name,
    dataset: { source: 'pngFolder', imageSize: 28, trainSize: 2, valSize: 1, testSize: 1, ...dataset },
    noise: { steps: [{ type: 'gaussian', variance: 0.01 }] },
    model: { type: 'dense', depth: 3, codeSize: 16 },
    training: { epochs: 1 },
    output,
  };
  writeFileSync(file, JSON.stringify(config));
  return file;
}

function service(allowedPaths: string[] = [], trusted = true) {
  const log: string[] = [];
  // A trainer that does not exist: a run that got past the checks would show up as a crashed run.
  const runs = new RunService({
    trainerPath: join(base, 'no-trainer.js'),
    maxParallel: 1,
    isTrusted: () => trusted,
    pathPolicy: () => ({ workspaceFolders: [workspace], allowedPaths }),
    log: (l) => log.push(l),
  });
  return { runs, log };
}

test('paths inside the workspace pass, including a runs folder that does not exist yet', () => {
  const problems = pathsOutsideWorkspace(
    [
      { field: 'dataset.folder', path: join(workspace, 'data') },
      { field: 'output.runsDir', path: join(workspace, 'denoise-runs', 'not', 'yet') },
    ],
    { workspaceFolders: [workspace], allowedPaths: [] },
  );
  assert.deepEqual(problems, []);
});

test('a path outside, by "..", by an absolute path or through a symbolic link, is named with the setting that allows it', () => {
  const policy = { workspaceFolders: [workspace], allowedPaths: [] };
  for (const path of [
    join(workspace, '..', 'elsewhere', 'pngs'),
    outside,
    join(workspace, 'data', 'link-out'),
    `${workspace}-sibling`,
  ]) {
    const [problem] = pathsOutsideWorkspace([{ field: 'dataset.folder', path }], policy);
    assert.equal(problem?.path, 'dataset.folder', path);
    assert.ok(problem.message.startsWith(`${path} is outside the workspace;`), problem.message);
    assert.ok(problem.message.includes(`"${ALLOWED_PATHS_SETTING}"`));
  }
  assert.deepEqual(
    pathsOutsideWorkspace([{ field: 'dataset.folder', path: join(outside, 'pngs') }], {
      ...policy,
      allowedPaths: [outside],
    }),
    [],
  );
  assert.equal(
    pathsOutsideWorkspace([{ field: 'dataset.folder', path: outside }], {
      ...policy,
      allowedPaths: ['relative/ignored'],
    }).length,
    1,
  );
});

test('the run service refuses a run reading or writing outside the workspace before forking, and logs why', () => {
  const { runs, log } = service();
  const reading = runs.submit({ configFile: experiment('reads-out', { folder: '../elsewhere/pngs' }), overrides: [] });
  assert.equal(reading.ok, false);
  if (reading.ok) return;
  assert.equal(reading.reason, 'outsideWorkspace');
  assert.deepEqual(
    reading.problems.map((p) => p.path),
    ['dataset.folder'],
  );
  assert.match(
    reading.problems[0].message,
    new RegExp(`^${join(outside, 'pngs').replace(/[/\\.]/g, '\\$&')} is outside the workspace`),
  );

  const writing = runs.submit({
    configFile: experiment('writes-out', { folder: 'data' }, { runsDir: '/tmp' }),
    overrides: [],
  });
  assert.equal(!writing.ok && writing.problems.map((p) => p.path).join(), 'output.runsDir');
  const setting = runs.submit({
    configFile: experiment('setting-out', { folder: 'data' }),
    overrides: [],
    runsDir: join(outside, 'runs'),
  });
  assert.equal(!setting.ok && setting.problems.map((p) => p.path).join(), 'the denoiseLab.runsFolder setting');
  const linked = runs.submit({ configFile: experiment('linked-out', { folder: 'data/link-out' }), overrides: [] });
  assert.equal(!linked.ok && linked.reason, 'outsideWorkspace');

  // An image-folder experiment's three folders are checked the same way.
  const images = runs.submit({
    configFile: experiment('images-out', {
      source: 'imageFolder',
      trainFolder: 'data',
      valFolder: '../elsewhere/pngs',
      testFolder: 'data/link-out',
      channels: 1,
    }),
    overrides: [],
  });
  assert.deepEqual(images.ok ? [] : images.problems.map((p) => p.path), ['dataset.valFolder', 'dataset.testFolder']);

  assert.deepEqual(runs.runs, [], 'nothing was queued or started');
  assert.equal(log.filter((l) => /refused: .* is outside the workspace/.test(l)).length, 5);
});

test('with the folder in denoiseLab.allowedPaths the same run is accepted', async () => {
  const { runs } = service([outside]);
  const submitted = runs.submit({ configFile: experiment('allowed', { folder: '../elsewhere/pngs' }), overrides: [] });
  assert.equal(submitted.ok, true);
  if (submitted.ok) await runs.whenEnded(submitted.run.id);
});

test('an untrusted workspace starts nothing, whatever the paths', () => {
  const { runs } = service([], false);
  const submitted = runs.submit({ configFile: experiment('untrusted', { folder: 'data' }), overrides: [] });
  assert.deepEqual(submitted.ok ? undefined : [submitted.reason, submitted.message], ['untrusted', UNTRUSTED_MESSAGE]);
  assert.deepEqual(runs.runs, []);
});

test('the manifest: limited support in untrusted workspaces, and allowedPaths only in user settings and restricted', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const untrusted = manifest.capabilities.untrustedWorkspaces;
  assert.equal(untrusted.supported, 'limited');
  assert.ok(untrusted.restrictedConfigurations.includes(ALLOWED_PATHS_SETTING));
  const setting = manifest.contributes.configuration.properties[ALLOWED_PATHS_SETTING];
  assert.equal(setting.scope, 'machine', 'a workspace cannot widen its own boundary');
  assert.deepEqual(setting.default, []);
});

test("a refusal names the folders that, allowed, let the run go: the folder it names, or a file's parent", () => {
  const { runs } = service();
  const reading = runs.submit({
    configFile: experiment('offer', { folder: '../elsewhere/pngs' }, { runsDir: join(outside, 'new-runs') }),
    overrides: [],
  });
  assert.ok(!reading.ok);
  assert.deepEqual(
    reading.foldersToAllow,
    [join(outside, 'pngs'), outside],
    'the PNG folder, and the parent of a runs folder still to make',
  );
  const allowed = service(reading.foldersToAllow ? [...reading.foldersToAllow] : []);
  const again = allowed.runs.submit({
    configFile: experiment('offer', { folder: '../elsewhere/pngs' }, { runsDir: join(outside, 'new-runs') }),
    overrides: [],
  });
  assert.equal(again.ok, true, 'allowing the offered folders is enough');
  if (again.ok) return allowed.runs.whenEnded(again.run.id).then(() => undefined);
});

test('a run that fails is logged as an error, with the message that names the bad dataset', async () => {
  const levels: { line: string; level?: string }[] = [];
  const runs = new RunService({
    trainerPath: join(root, 'dist', 'trainer.js'),
    maxParallel: 1,
    isTrusted: () => true,
    log: (line, level) => levels.push({ line, level }),
  });
  const submitted = runs.submit({
    configFile: experiment('bad-data', {
      source: 'idx',
      trainImages: 'data/missing.idx',
      testImages: 'data/missing-test.idx',
    }),
    overrides: [],
  });
  assert.ok(submitted.ok);
  await runs.whenEnded(submitted.run.id);
  const ended = levels.find((l) => /ended: badInput/.test(l.line));
  assert.equal(ended?.level, 'error', JSON.stringify(levels));
  assert.match(ended?.line ?? '', /missing\.idx/);
});
