/**
 * Sweeps in the Runs view (issue 21, item 8): a sweep's runs are grouped under one row for the sweep, which
 * has a ▷ to run the sweep again; an experiment with a sweep section has a Run Sweep button in its row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSweeps, readSweepGroup } from '../src/app/sweep/sweepGroups';
import { createSweepFolder, writeSweepResults } from '../src/app/sweep/sweepResults';
import { listRuns } from '../src/core/runs/listRuns';
import { updateRunNotes } from '../src/core/runs/runNotes';
import { monthLabel, RECENT_ROWS, savedRows, sweepChildLabel, sweepNodeLabel } from '../src/extension/host/sweepNode';
import { writeSavedRun } from './helpers/savedRun';

const root = join(__dirname, '..');

function sweepWorkspace() {
  const runsDir = mkdtempSync(join(tmpdir(), 'sweep-groups-'));
  const file = join(runsDir, '..', 'lr.denoise.json');
  const lone = writeSavedRun(runsDir, '2026-12-02T09-00-00-alone', {
    name: 'alone',
    startedAt: '2026-12-02T09:00:00Z',
  });
  const a = writeSavedRun(runsDir, '2026-12-02T10-00-00-lr_1', {
    name: 'lr',
    psnr: 14.5,
    startedAt: '2026-12-02T10:00:00Z',
  });
  const b = writeSavedRun(runsDir, '2026-12-02T10-05-00-lr_2', {
    name: 'lr',
    psnr: 16.25,
    startedAt: '2026-12-02T10:05:00Z',
  });
  const late = writeSavedRun(runsDir, '2026-12-02T11-00-00-later', {
    name: 'later',
    startedAt: '2026-12-02T11:00:00Z',
  });
  const folder = createSweepFolder(runsDir, 'lr', new Date('2026-12-02T10:00:00Z'));
  writeSweepResults(folder, { name: 'lr', file, total: 3 }, [
    { index: 0, label: 'lr lr=0.01', status: 'completed', runDir: a },
    { index: 1, label: 'lr lr=0.001', status: 'completed', runDir: b },
    { index: 2, label: 'lr lr=9', status: 'badInput', message: 'training.learningRate: must be <= 1' },
  ]);
  return { runsDir, file, folder, lone, a, b, late };
}

test("a sweep's runs are grouped under the sweep, placed by its newest run, in the sweep's order", () => {
  const { runsDir, file, folder, lone, a, b, late } = sweepWorkspace();
  const sweeps = listSweeps([runsDir, runsDir]);
  assert.equal(sweeps.length, 1, 'each sweep once, even when its runs folder is listed twice');
  assert.equal(sweeps[0].folder, folder);
  assert.equal(sweeps[0].file, file);
  assert.deepEqual(
    sweeps[0].runs.map((r) => r.runDir),
    [a, b],
    'the run that made no folder is not a row',
  );

  const rows = savedRows(listRuns(runsDir), sweeps);
  assert.deepEqual(
    rows.map((r) =>
      r.kind === 'sweep'
        ? `sweep ${r.sweep.name}: ${r.runs.map((x) => x.runDir).join(' ')}`
        : r.kind === 'saved'
          ? r.listing.runDir
          : r.month,
    ),
    [late, `sweep lr: ${a} ${b}`, lone],
  );
  const sweepRow = rows[1];
  assert.ok(sweepRow.kind === 'sweep');
  const shown = sweepNodeLabel(sweepRow.sweep, sweepRow.runs);
  assert.equal(shown.label, 'Sweep lr');
  assert.equal(shown.description, '3 of 3 runs · best 16.25 dB · 1 did not complete');
  assert.match(shown.tooltip, /From .*lr\.denoise\.json/);

  // Under the sweep a run reads as what the sweep gave it; a name of the user's own wins.
  const [first, second] = sweepRow.runs;
  assert.equal(sweepChildLabel('lr', sweepRow.sweep.runs[0], first, 'lr · Dec 2'), 'lr=0.01');
  updateRunNotes(second.runDir, { title: 'best so far', tags: ['keep'] });
  const renamed = listRuns(runsDir).find((r) => r.runDir === second.runDir)!;
  assert.equal(sweepChildLabel('lr', sweepRow.sweep.runs[1], renamed, 'lr · Dec 2'), 'best so far · #keep');
});

test('beyond the newest 100 rows, older runs are grouped by the month they started in, newest month first', () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'runs-months-'));
  // 160 runs, one a day from 1 October: the 100 newest (days 60-159) stay rows of their own.
  for (let day = 0; day < 160; day++) {
    const at = new Date(Date.UTC(2026, 9, 1 + day, 9));
    const stamp = at.toISOString().slice(0, 19).replace(/:/g, '-');
    writeSavedRun(runsDir, `${stamp}-day${day}`, { name: `day${day}`, startedAt: at.toISOString() });
  }
  const rows = savedRows(listRuns(runsDir), []);
  assert.equal(rows.length, RECENT_ROWS + 2);
  assert.ok(rows.slice(0, RECENT_ROWS).every((r) => r.kind === 'saved'));
  assert.equal(rows[0].kind === 'saved' && rows[0].listing.name, 'day159');
  const months = rows
    .slice(RECENT_ROWS)
    .map((r) => (r.kind === 'month' ? `${monthLabel(r.month)}: ${r.runs}` : r.kind));
  // Days 0-59: 1-31 October and 1-29 November.
  assert.deepEqual(months, ['November 2026: 29', 'October 2026: 31']);
});

test('a broken sweep.json is no sweep, and its runs stay listed on their own', () => {
  const { runsDir, folder, a, b } = sweepWorkspace();
  writeFileSync(join(folder, 'sweep.json'), '{"name": "lr", "runs": [');
  assert.equal(readSweepGroup(folder), undefined);
  const rows = savedRows(listRuns(runsDir), listSweeps([runsDir]));
  assert.ok(rows.every((r) => r.kind === 'saved'));
  assert.ok([a, b].every((d) => rows.some((r) => r.kind === 'saved' && r.listing.runDir === d)));
});

test('Run Sweep has a ▷ in an experiment row with a sweep and in a sweep row; runs can be renamed, tagged and noted', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const menu = pkg.contributes.menus['view/item/context'] as { command: string; when: string; group: string }[];
  const inline = (command: string) =>
    menu.filter((m) => m.command === command && m.group === 'inline').map((m) => m.when);
  assert.ok(inline('denoiseLab.runSweep').includes('view == denoiseLab.experiments && viewItem == experiment.sweep'));
  assert.ok(inline('denoiseLab.runSweep').includes('view == denoiseLab.runs && viewItem == sweep.rerunnable'));
  assert.ok(
    inline('denoiseLab.runExperiment').some((w) =>
      new RegExp(w.match(/viewItem =~ \/(.*)\/$/)![1]).test('experiment.sweep'),
    ),
    'Run Experiment stays on an experiment with a sweep',
  );
  const tree = readFileSync(join(root, 'src', 'extension', 'views', 'experimentsTree.ts'), 'utf8');
  assert.match(tree, /'experiment\.sweep'/);
  for (const command of ['denoiseLab.renameRun', 'denoiseLab.tagRun', 'denoiseLab.noteRun'])
    assert.ok(
      menu.some((m) => m.command === command && m.when.includes('run\\.saved')),
      `${command} in a saved run's menu`,
    );
  assert.ok(menu.some((m) => m.command === 'denoiseLab.compareRuns' && m.when.includes('viewItem =~ /^sweep/')));
});
