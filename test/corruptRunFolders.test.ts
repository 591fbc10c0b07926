/**
 * Damaged run folders, as a killed process, a full disk, a hand edit or a copy from elsewhere leave them: a torn
 * last line in metrics.jsonl, garbage or wrongly shaped summary.json, config.json and status.json, empty files, a
 * missing or damaged model, a checkpoint from another model, unreadable images, a folder with no config. Each
 * reader a user reaches (`denoise list`, `report`, `apply`, `resume`, the Runs view's rows and labels, the
 * dashboard's run-folder messages) must not crash, and must say which file is wrong and how.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { describeRun, listRuns } from '../src/core/runs/listRuns';
import { runRow } from '../src/app/runs/runRow';
import { runFolderMessages } from '../src/app/page/runFolderMessages';
import { savedRunLabel } from '../src/extension/host/runLabels';
import { validateHostToWebview } from '../src/protocol/validateWebviewMessages';
import { applyRun } from '../src/core/apply/applyRun';
import { InputError } from '../src/core/errors/inputError';
import { grayPng } from './helpers/imageFiles';
import { denoiseCli, trainImageRun } from './helpers/trainImageRun';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'denoise-corrupt-runs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const denoise = (...args: string[]) => denoiseCli(args, 120_000);

/** Trains a tiny DnCNN of `depth` layers on four generated images; returns its run folder. */
const train = (depth: number) =>
  trainImageRun(path.join(tmp, 'train'), path.join(tmp, 'trained'), {
    'model.depth': depth,
    'model.filters': 4,
    'training.patchesPerEpoch': 64,
    'training.epochs': 2,
  });

/** Turns a completed run folder into one killed mid-run: status says running under a dead pid, no summary. */
function interrupt(dir: string): void {
  fs.rmSync(path.join(dir, 'summary.json'));
  const status = JSON.parse(fs.readFileSync(path.join(dir, 'status.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify({ ...status, status: 'running', pid: 2 ** 22 + 1 }));
}

const cut = (file: string, keep: (text: string) => string) =>
  fs.writeFileSync(file, keep(fs.readFileSync(file, 'utf8')));

interface Damage {
  readonly name: string;
  /** The file the damage is in, relative to the run folder: what the messages must name. */
  readonly file: string;
  readonly damage: (dir: string, other: string) => void;
  /** A pattern every reader that reports the problem must show. */
  readonly says: RegExp;
}

const DAMAGES: Damage[] = [
  {
    name: 'metrics-torn-last-line',
    file: 'metrics.jsonl',
    damage: (d) => cut(path.join(d, 'metrics.jsonl'), (t) => t.slice(0, t.length - 40)),
    says: /metrics\.jsonl: line 2 is cut short/,
  },
  {
    name: 'metrics-garbage-line',
    file: 'metrics.jsonl',
    damage: (d) =>
      cut(path.join(d, 'metrics.jsonl'), (t) => `{"epoch": 1, "trainLo\n${t.split('\n').slice(1).join('\n')}`),
    says: /metrics\.jsonl: line 1 is not valid JSON/,
  },
  {
    name: 'metrics-wrong-shape',
    file: 'metrics.jsonl',
    damage: (d) => fs.writeFileSync(path.join(d, 'metrics.jsonl'), 'null\n[1,2]\n{"epoch":"one"}\n'),
    says: /metrics\.jsonl: line 1 is not an epoch record/,
  },
  {
    name: 'metrics-empty',
    file: 'metrics.jsonl',
    damage: (d) => fs.writeFileSync(path.join(d, 'metrics.jsonl'), ''),
    says: /metrics\.jsonl: the file is empty/,
  },
  {
    name: 'summary-garbage',
    file: 'summary.json',
    damage: (d) => fs.writeFileSync(path.join(d, 'summary.json'), 'not json {'),
    says: /summary\.json: not valid JSON/,
  },
  {
    name: 'summary-empty',
    file: 'summary.json',
    damage: (d) => fs.writeFileSync(path.join(d, 'summary.json'), ''),
    says: /summary\.json: the file is empty/,
  },
  {
    name: 'summary-null',
    file: 'summary.json',
    damage: (d) => fs.writeFileSync(path.join(d, 'summary.json'), 'null'),
    says: /summary\.json: not a run summary/,
  },
  {
    name: 'summary-wrong-shape',
    file: 'summary.json',
    damage: (d) =>
      fs.writeFileSync(
        path.join(d, 'summary.json'),
        '{"status":"completed","name":"x","metrics":{"train":{},"val":3,"test":{}}}',
      ),
    says: /summary\.json: not a run summary \(metrics\.test\.denoised\.mse is not a number\)/,
  },
  {
    name: 'config-empty',
    file: 'config.json',
    damage: (d) => fs.writeFileSync(path.join(d, 'config.json'), ''),
    says: /config\.json: the file is empty/,
  },
  {
    name: 'config-garbage',
    file: 'config.json',
    damage: (d) => fs.writeFileSync(path.join(d, 'config.json'), '{"name": "x",'),
    says: /config\.json: not valid JSON/,
  },
  {
    name: 'config-wrong-shape',
    file: 'config.json',
    damage: (d) => fs.writeFileSync(path.join(d, 'config.json'), '{"model": 3, "training": null}'),
    says: /config\.json: not an experiment/,
  },
  {
    name: 'status-garbage',
    file: 'status.json',
    damage: (d) => fs.writeFileSync(path.join(d, 'status.json'), '\u0000\u0000\u0000'),
    says: /status\.json: not valid JSON/,
  },
  {
    name: 'model-missing',
    file: 'model',
    damage: (d) => fs.rmSync(path.join(d, 'model'), { recursive: true }),
    says: /no trained model/,
  },
  {
    name: 'model-json-garbage',
    file: 'model',
    damage: (d) => fs.writeFileSync(path.join(d, 'model', 'model.json'), '{"modelTopology":'),
    says: /model: the saved model cannot be loaded \(/,
  },
  {
    name: 'model-weights-truncated',
    file: 'model',
    damage: (d) => fs.truncateSync(path.join(d, 'model', 'weights.bin'), 10),
    says: /model: the saved model cannot be loaded \(/,
  },
  {
    name: 'samples-garbage',
    file: 'samples.png',
    damage: (d) => fs.writeFileSync(path.join(d, 'samples.png'), 'PNG?'),
    says: /samples\.png: not a readable PNG image/,
  },
  {
    name: 'checkpoint-from-other-model',
    file: 'checkpoint',
    damage: (d, other) => {
      interrupt(d);
      fs.rmSync(path.join(d, 'checkpoint'), { recursive: true });
      fs.cpSync(path.join(other, 'checkpoint'), path.join(d, 'checkpoint'), { recursive: true });
    },
    says: /its checkpoint \S+checkpoint\/epoch-0002 does not load: /,
  },
  {
    name: 'checkpoint-state-garbage',
    file: 'checkpoint',
    damage: (d) => {
      interrupt(d);
      fs.writeFileSync(path.join(d, 'checkpoint', 'state.json'), '{{{');
    },
    says: /checkpoint\/state\.json/,
  },
  {
    name: 'checkpoint-weights-truncated',
    file: 'checkpoint',
    damage: (d) => {
      interrupt(d);
      const [folder] = fs.readdirSync(path.join(d, 'checkpoint')).filter((f) => f.startsWith('epoch-'));
      fs.truncateSync(path.join(d, 'checkpoint', folder, 'weights.bin'), 8);
    },
    says: /its checkpoint \S+checkpoint\/epoch-0002 does not load: /,
  },
];

const runsDir = path.join(tmp, 'runs');
const folders = new Map<string, string>();
let inputs: string;

before(() => {
  fs.mkdirSync(path.join(tmp, 'train'), { recursive: true });
  for (let i = 0; i < 4; i++)
    fs.writeFileSync(
      path.join(tmp, 'train', `t${i}.png`),
      grayPng(40 + 3 * i, 36, (x, y) => ((x >> 2) * 30 + y * 3) % 256),
    );
  inputs = path.join(tmp, 'train');
  const good = train(3);
  const other = train(4);
  fs.mkdirSync(runsDir);
  for (const [i, d] of DAMAGES.entries()) {
    const dir = path.join(runsDir, `2026-12-02T10-00-${String(i).padStart(2, '0')}-${d.name}`);
    fs.cpSync(good, dir, { recursive: true });
    d.damage(dir, other);
    folders.set(d.name, dir);
  }
  fs.mkdirSync(path.join(runsDir, 'not-a-run'));
  fs.writeFileSync(path.join(runsDir, 'not-a-run', 'notes.txt'), 'a folder with no config');
});

/** Who must report a damage: the folder's listing (so list, report and the Runs view), apply, or resume. */
const KIND: Record<string, 'listing' | 'apply' | 'resume' | 'images'> = {
  'metrics.jsonl': 'listing',
  'summary.json': 'listing',
  'config.json': 'listing',
  'status.json': 'listing',
  model: 'apply',
  checkpoint: 'resume',
  'samples.png': 'images',
};

for (const d of DAMAGES) {
  test(`${d.name}: no reader crashes, and ${d.file} is named with what is wrong`, async () => {
    const dir = folders.get(d.name)!;
    const kind = KIND[d.file];
    const listing = describeRun(dir);
    const problems = listing.problems ?? [];
    if (kind === 'listing')
      assert.ok(
        problems.some((p) => d.says.test(p)),
        `listing: ${JSON.stringify(problems)}`,
      );
    else assert.deepEqual(problems, [], 'the JSON files are sound');
    runRow(listing);
    const label = savedRunLabel(listing);
    if (kind === 'listing') {
      assert.match(label.tooltip, d.says);
      assert.match(label.description, /damaged files/);
    }
    const found: string[] = [];
    const messages = runFolderMessages(dir, found);
    for (const m of messages) assert.ok(validateHostToWebview(m).ok, `${m.type} is a valid page message`);
    if (kind === 'listing' || kind === 'images') {
      assert.ok(
        found.some((p) => d.says.test(p)),
        `page: ${JSON.stringify(found)}`,
      );
      const ended = messages.find((m) => m.type === 'runEnded');
      if (ended?.type === 'runEnded') assert.match(ended.message, d.says, 'the dashboard shows it with the run');
    }
    const report = denoise('report', dir, '--out', path.join(tmp, `${d.name}.html`));
    assert.equal(report.code, 0, report.stderr);
    if (kind === 'listing' || kind === 'images')
      assert.match(report.stderr, new RegExp(`warning: ${dir}/.*${d.says.source}`));
    const out = path.join(tmp, `out-${d.name}`);
    try {
      await applyRun(dir, [inputs], { out });
      assert.ok(kind !== 'apply' && d.file !== 'config.json', 'apply refuses a run without a usable model or config');
    } catch (err) {
      assert.ok(err instanceof InputError, (err as Error).stack);
      assert.match(err.message, d.says);
      assert.ok(err.message.startsWith(dir), err.message);
      assert.equal(fs.existsSync(out), false);
    }
    if (kind === 'resume') {
      const resume = denoise('resume', dir);
      assert.equal(resume.code, 2, resume.stderr);
      assert.match(resume.stderr, d.says);
      assert.ok(resume.stderr.includes(dir));
    }
  });
}

test('denoise list shows every damaged folder, marks it, and lists its damaged files under the table', () => {
  const list = denoise('list', '--runs-dir', runsDir);
  assert.equal(list.code, 0, list.stderr);
  assert.equal(listRuns(runsDir).length, DAMAGES.length, 'the folder with no config.json is not a run');
  for (const d of DAMAGES) {
    const folder = path.basename(folders.get(d.name)!);
    assert.match(list.stdout, new RegExp(`^${folder} `, 'm'), `${d.name} listed`);
    if (KIND[d.file] === 'listing') {
      assert.match(list.stdout, new RegExp(`^${folder} +\\S+ \\(damaged\\)`, 'm'));
      assert.match(list.stdout, new RegExp(`^  ${folder}/${d.says.source}`, 'm'));
    }
  }
  assert.doesNotMatch(list.stdout, /not-a-run/);
  const notRun = denoise('report', path.join(runsDir, 'not-a-run'));
  assert.equal(notRun.code, 2);
  assert.match(notRun.stderr, /not-a-run is not a Denoise Lab run folder \(no config\.json\)/);
});
