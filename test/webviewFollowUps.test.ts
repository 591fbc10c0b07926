/**
 * The dashboard's list of saved runs stays current (issue 21, item 1): a run that starts or ends, or a
 * comparison naming runs the list lacks, makes the page ask for the runs again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostToWebview, RunRow } from '../src/protocol/webviewMessages';
import { followUpRequests } from '../webview/state/followUps';

const row = (runDir: string) => ({ runDir, name: 'r', status: 'completed' }) as unknown as RunRow;
const comparison = (dirs: string[]): HostToWebview => ({
  type: 'comparison',
  runs: dirs.map((d) => ({ row: row(d), curve: [] })),
});

test('a run that ends after the dashboard opened is asked for, with its generation images', () => {
  const ended: HostToWebview = {
    type: 'runEnded',
    runId: 'r1',
    runDir: '/runs/a',
    ending: 'completed',
    message: 'Trained 3 epochs.',
  };
  assert.deepEqual(followUpRequests(ended, new Set()), [
    { type: 'requestRuns' },
    { type: 'requestGeneration', runDir: '/runs/a' },
  ]);
  const started: HostToWebview = {
    type: 'runStarted',
    runId: 'r2',
    runName: 'b',
    runDir: '/runs/b',
    engine: 'cpu',
    model: 'dense',
    dataset: 'mnist',
    epochs: 3,
    batchesPerEpoch: 10,
  };
  assert.deepEqual(followUpRequests(started, new Set()), [{ type: 'requestRuns' }]);
});

test('a comparison of runs the picker does not list refreshes the list; one it lists does not', () => {
  assert.deepEqual(followUpRequests(comparison(['/runs/a', '/runs/b', '/runs/c']), new Set(['/runs/a'])), [
    { type: 'requestRuns' },
  ]);
  assert.deepEqual(followUpRequests(comparison(['/runs/a']), new Set(['/runs/a', '/runs/b'])), []);
  assert.deepEqual(followUpRequests({ type: 'runs', runs: [] }, new Set()), []);
});
