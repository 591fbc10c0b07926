/**
 * The walkthrough's steps tick when their result is there, not when a command is merely invoked
 * (issue 21, item 9).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Run } from '../src/extension/host/runService';
import { keyForPageMessage, keyForRunUpdate, WALKTHROUGH_KEYS } from '../src/extension/host/walkthroughSteps';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
  contributes: { walkthroughs: { steps: { id: keyof typeof WALKTHROUGH_KEYS; completionEvents: string[] }[] }[] };
};

test("each step completes on its result's context key, none on a command", () => {
  const steps = manifest.contributes.walkthroughs[0].steps;
  assert.deepEqual(
    steps.map((s) => s.completionEvents),
    steps.map((s) => [`onContext:${WALKTHROUGH_KEYS[s.id]}`]),
  );
});

test('a run ticks "Train it" only when it trained to its end; a preview and a comparison of two tick theirs', () => {
  const run = (ending: Run['ending']) => ({ id: 'r', name: 'n', configFile: '/f', phase: 'ended', ending }) as Run;
  assert.equal(keyForRunUpdate({ kind: 'ended', run: run('completed') }), WALKTHROUGH_KEYS.runExperiment);
  assert.equal(keyForRunUpdate({ kind: 'ended', run: run('stopped') }), undefined);
  assert.equal(keyForRunUpdate({ kind: 'started', run: run(undefined) }), undefined);
  assert.equal(
    keyForPageMessage({ type: 'noisePreview', configFile: '/f', columns: [] }),
    WALKTHROUGH_KEYS.previewNoise,
  );
  assert.equal(keyForPageMessage({ type: 'noisePreviewError', configFile: '/f', problems: [] }), undefined);
  const compared = (n: number) =>
    ({
      type: 'comparison',
      runs: Array.from({ length: n }, () => ({ row: { runDir: '/r', name: 'n', status: 'completed' }, curve: [] })),
    }) as const;
  assert.equal(keyForPageMessage(compared(1) as never), undefined);
  assert.equal(keyForPageMessage(compared(2) as never), WALKTHROUGH_KEYS.compareRuns);
});

test('the first place the walkthrough and New Experiment speak of "the seed report", they say what it is', () => {
  const steps = (manifest as unknown as { contributes: { walkthroughs: { steps: { description: string }[] }[] } })
    .contributes.walkthroughs[0].steps;
  const first = steps.find((s) => /seed report/.test(s.description));
  assert.match(
    first?.description ?? '',
    /seed report \(Image denoising with deep learning, Sagdullin and Laiolo, 2023/,
  );
  const page = readFileSync(join(__dirname, '..', 'media', 'walkthrough', 'new-experiment.md'), 'utf8');
  assert.match(page.slice(0, page.indexOf('seed report') + 200), /Sagdullin and Laiolo, 2023/);
  const command = readFileSync(join(__dirname, '..', 'src', 'extension', 'commands', 'newExperiment.ts'), 'utf8');
  assert.match(command, /most reproduce the seed report: Sagdullin and Laiolo 2023/);
});
