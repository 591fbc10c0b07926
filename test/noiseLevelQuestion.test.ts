/**
 * Denoise Image…'s noise level question (src/app/apply/noiseLevelQuestion.ts): which runs it is asked for
 * (those `denoise apply --sigma` takes), what the box is prefilled with, what it says as σ is typed, and that
 * the σ reaches the same hint the command line uses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkNoiseLevel, noiseLevelQuestion, type NoiseLevelQuestion } from '../src/app/apply/noiseLevelQuestion';
import { applyRun, type ApplyEvent } from '../src/core/apply/applyRun';
import { noiseLevelHint } from '../src/core/apply/noiseLevelHint';
import { validateConfig } from '../src/core/config/validateConfig';
import type { Noise } from '../src/core/config/experimentConfig.generated';
import { listRuns } from '../src/core/runs/listRuns';
import { applyRunChoices, builtinModels } from '../src/extension/host/applyRunChoices';
import { writeModelRun } from './helpers/applyRunFolder';
import { grayPng } from './helpers/imageFiles';

/** A resolved image-folder config with these noise steps (and training target), as a run folder holds it. */
function configWith(steps: unknown[], target = 'clean') {
  const result = validateConfig({
    name: 'noise-question',
    dataset: { source: 'imageFolder', trainFolder: 'photos', channels: 1 },
    noise: { steps },
    model: { type: 'dncnn', depth: 3, filters: 4, batchNorm: false },
    training: { patchSize: 16, target },
    compute: { engine: 'cpu' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.config;
}

const atSigma25 = configWith([{ type: 'gaussian255', sigma: 25 }]);
const blind = configWith([{ type: 'gaussian255', sigma: 25, blind: true, sigmaMin: 5, sigmaMax: 55 }]);
const asVariance = configWith([{ type: 'gaussian', mean: 0, variance: 0.0025 }]);

function asked(config: ReturnType<typeof configWith>): NoiseLevelQuestion {
  const question = noiseLevelQuestion(config);
  assert.ok(question, `no σ question for ${JSON.stringify(config.noise.steps)}`);
  return question;
}

test('asked for a model trained at one σ or blind over a range, prefilled with that σ or the range middle', () => {
  const fixed = asked(atSigma25);
  assert.equal(fixed.value, '25');
  assert.match(fixed.prompt, /^The model was trained at σ 25: images of another σ are scaled around their mean/);
  const range = asked(blind);
  assert.equal(range.value, '30', 'the middle of 5-55');
  assert.match(range.prompt, /^The model was trained blind over σ 5-55: images inside that range go in unchanged/);
  // Gaussian noise given as a variance on the 0-1 scale: σ = 0.05, 12.75 on the 0-255 scale.
  assert.equal(asked(asVariance).value, '12.75');
  assert.equal(fixed.title, 'Noise level σ of the images (0-255 scale)');
});

test('not asked when the model has no σ to be told, exactly where denoise apply --sigma refuses', () => {
  const others: Noise['steps'][] = [
    [{ type: 'poisson', peak: 30 }],
    [
      { type: 'gaussian255', sigma: 25 },
      { type: 'saltPepper', amount: 0.05 },
    ] as Noise['steps'],
    [],
  ];
  const configs = [
    atSigma25,
    blind,
    asVariance,
    ...others.map((steps) => configWith(steps, steps.length ? 'clean' : 'noise2void')),
  ];
  for (const config of configs) {
    const cliTakesSigma = (() => {
      try {
        noiseLevelHint(config, 25);
        return true;
      } catch {
        return false;
      }
    })();
    assert.equal(
      noiseLevelQuestion(config) !== undefined,
      cliTakesSigma,
      `asked iff --sigma is taken: ${JSON.stringify(config.noise.steps)}`,
    );
  }
  assert.deepEqual(
    configs.map((c) => noiseLevelQuestion(c) !== undefined),
    [true, true, true, false, false, false],
  );
});

test('what the box says while σ is typed: refusals name the trained range, accepted σ say what the model does', () => {
  const range = asked(blind);
  const refused = (text: string) => {
    const answer = checkNoiseLevel(range, text);
    assert.equal(answer.ok, false, `"${text}" should be refused`);
    return answer.message;
  };
  assert.equal(refused(''), "Type the images' σ on the 0-255 scale; the model was trained blind over σ 5-55.");
  assert.equal(
    refused('abc'),
    '"abc" is not a number: type the images\' σ on the 0-255 scale; the model was trained blind over σ 5-55.',
  );
  assert.match(refused('25 dB'), /not a number/);
  assert.equal(
    refused('0'),
    'σ 0 is off the 0-255 scale: type a σ above 0 and at most 255; the model was trained blind over σ 5-55.',
  );
  assert.match(refused('300'), /^σ 300 is off the 0-255 scale/);
  assert.match(refused('-5'), /off the 0-255 scale/);

  // Unchanged input: no severity, so the box keeps its prompt (the trained range).
  assert.deepEqual(checkNoiseLevel(range, ' 30 '), {
    ok: true,
    sigma: 30,
    message: "σ 30: inside the model's blind range 5-55, input unchanged",
  });
  // Outside the range the CLI scales the input to the nearest end: accepted, with a warning that says so.
  assert.deepEqual(checkNoiseLevel(range, '110'), {
    ok: true,
    sigma: 110,
    severity: 'warning',
    message: "σ 110: outside the model's blind range 5-55; input scaled by 0.5 around its mean to σ 55, and back",
  });
  const below = checkNoiseLevel(range, '2');
  assert.equal(below.ok && below.severity, 'warning', 'below the range too');

  const fixed = asked(atSigma25);
  assert.deepEqual(checkNoiseLevel(fixed, '25'), {
    ok: true,
    sigma: 25,
    message: 'σ 25: the σ the model was trained at, input unchanged',
  });
  assert.deepEqual(checkNoiseLevel(fixed, '50'), {
    ok: true,
    sigma: 50,
    severity: 'info',
    message: 'σ 50: the model was trained at σ 25; input scaled by 0.5 around its mean, and back',
  });
  assert.match(checkNoiseLevel(fixed, 'x').message, /the model was trained at σ 25\.$/);
  for (const question of [range, fixed, asked(asVariance)])
    assert.equal(checkNoiseLevel(question, question.value).ok, true, `the default ${question.value} is accepted`);
});

test("the run picker carries the question for each run that takes σ, the shipped gray model's included", () => {
  const runs = join(mkdtempSync(join(tmpdir(), 'denoise-sigma-picker-')), 'denoise-runs');
  const write = (folder: string, config: ReturnType<typeof configWith>) => {
    mkdirSync(join(runs, folder, 'model'), { recursive: true });
    writeFileSync(join(runs, folder, 'config.json'), JSON.stringify({ ...config, name: folder }));
    writeFileSync(join(runs, folder, 'model', 'model.json'), '{}');
  };
  write('2026-01-01T10-00-00-sigma25', atSigma25);
  write('2026-01-02T10-00-00-poisson', configWith([{ type: 'poisson', peak: 30 }]));
  const rows = applyRunChoices(listRuns(runs), builtinModels(process.cwd()), new Set([1]));
  const byLabel = new Map(rows.map((r) => [r.label, r]));
  assert.equal(byLabel.get('2026-01-01T10-00-00-sigma25')?.noiseLevel?.value, '25');
  assert.equal(byLabel.get('2026-01-02T10-00-00-poisson')?.noiseLevel, undefined, 'Poisson noise: not asked');
  const builtin = byLabel.get('Built-in gray denoiser');
  assert.ok(builtin, 'the shipped gray model is listed');
  assert.match(builtin.noiseLevel!.prompt, /trained blind over σ 0-55/);
  assert.equal(builtin.noiseLevel!.value, '27.5');
});

test('the σ typed reaches the command line’s apply: the trainer logs the note the box showed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'denoise-sigma-apply-'));
  const run = await writeModelRun(join(dir, 'run'));
  writeFileSync(
    join(dir, 'in.png'),
    grayPng(24, 20, (x, y) => (x * 9 + y * 5) % 256),
  );
  const question = asked(atSigma25);
  const answer = checkNoiseLevel(question, '40');
  assert.ok(answer.ok);
  const events: ApplyEvent[] = [];
  await applyRun(run, [join(dir, 'in.png')], { out: join(dir, 'out'), sigma: answer.sigma }, (e) => events.push(e));
  const started = events.find((e) => e.type === 'started');
  assert.equal(started?.type === 'started' && started.sigmaHint, answer.message);
});
