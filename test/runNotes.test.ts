/**
 * Runs can be renamed, tagged and noted (issue 21): notes.json in the run folder, written atomically, read
 * back by the Runs view's labels, the dashboard's rows and table, and `denoise list`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filterRows } from '../webview/state/tableView';
import { RESULT_COLUMNS } from '../src/app/results/resultColumns';
import { resultsCsv } from '../src/app/results/resultExports';
import { labelledRows } from '../src/app/runs/labelledRows';
import { runRow } from '../src/app/runs/runRow';
import { describeRun, listRuns } from '../src/core/runs/listRuns';
import { parseTags, readRunNotes, updateRunNotes } from '../src/core/runs/runNotes';
import { savedRunLabel } from '../src/extension/host/runLabels';
import { validateHostToWebview } from '../src/protocol/validateWebviewMessages';
import { writeSavedRun } from './helpers/savedRun';

const cell = (key: string, row: Parameters<(typeof RESULT_COLUMNS)[number]['text']>[0]) =>
  RESULT_COLUMNS.find((c) => c.key === key)!.text(row);

test('a renamed, tagged and noted run shows its name, tags and note wherever runs are listed', () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'run-notes-'));
  const a = writeSavedRun(runsDir, '2026-12-02T10-00-00-quick-start', { training: { learningRate: 0.01 } });
  const b = writeSavedRun(runsDir, '2026-12-02T11-00-00-quick-start', {
    training: { learningRate: 0.001 },
    startedAt: '2026-12-02T11:00:00Z',
  });
  updateRunNotes(a, { title: '  wide lr  ' });
  updateRunNotes(a, { tags: parseTags('#baseline, small  baseline'), note: 'the one to beat' });
  // Written atomically: the file and nothing else (no temporary file left behind).
  assert.deepEqual(readdirSync(a).sort(), ['config.json', 'notes.json', 'summary.json']);
  assert.deepEqual(JSON.parse(readFileSync(join(a, 'notes.json'), 'utf8')), {
    title: 'wide lr',
    tags: ['baseline', 'small'],
    note: 'the one to beat',
  });

  // The Runs view and the dashboard: the user's name and tags label the run, its namesake keeps its fields.
  const rows = labelledRows(listRuns(runsDir).map((l) => runRow(l)));
  const byDir = new Map(rows.map((r) => [r.runDir, r]));
  assert.equal(byDir.get(a)!.label, 'wide lr · #baseline #small');
  assert.match(byDir.get(b)!.label!, /^quick-start · Dec 2 \d\d:00$/);
  assert.equal(cell('name', byDir.get(a)!), 'wide lr · #baseline #small');
  assert.equal(cell('tags', byDir.get(a)!), 'baseline small');
  assert.equal(cell('note', byDir.get(a)!), 'the one to beat');
  assert.deepEqual(
    filterRows(rows, 'baseline').map((r) => r.runDir),
    [a],
    "the table's filter finds runs by tag",
  );
  assert.match(resultsCsv([byDir.get(a)!]), /,Tags,Note\n.*,baseline small,the one to beat\n$/);
  assert.equal(validateHostToWebview({ type: 'runs', runs: rows }).ok, true, 'the rows cross to the page');
  const tooltip = savedRunLabel(describeRun(a)).tooltip;
  assert.match(tooltip, /^wide lr: completed/);
  assert.match(tooltip, /Experiment: quick-start\nTags: #baseline #small\nNote: the one to beat/);

  // `denoise list` has a name column once a run has a name or tags.
  const list = spawnSync(process.execPath, [join(__dirname, '..', 'bin', 'denoise'), 'list', '--runs-dir', runsDir], {
    encoding: 'utf8',
  });
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /^run\s+name\s+status/);
  assert.match(list.stdout, /quick-start\s+wide lr #baseline #small\s+completed/);
  assert.match(list.stdout, /11-00-00-quick-start\s+quick-start\s+completed/);

  // Clearing: empty texts remove the fields; the experiment's name comes back.
  updateRunNotes(a, { title: '', tags: [], note: '' });
  assert.deepEqual(readRunNotes(a), {});
  assert.equal(labelledRows([runRow(describeRun(a))])[0].label, 'quick-start · Dec 2 10:00');
});

test('a broken notes.json is no notes, never a broken run', () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'run-notes-'));
  const a = writeSavedRun(runsDir, '2026-12-02T10-00-00-quick-start');
  writeFileSync(join(a, 'notes.json'), '{"title": 3, "tags": "x", "note": ');
  assert.deepEqual(describeRun(a).notes, {});
  assert.equal(describeRun(a).status, 'completed');
  writeFileSync(join(a, 'notes.json'), JSON.stringify({ title: 'x'.repeat(500), tags: ['a', 7, '##b'] }));
  assert.deepEqual(readRunNotes(a), { title: 'x'.repeat(120), tags: ['a', 'b'] });
  assert.ok(existsSync(join(a, 'notes.json')));
});
