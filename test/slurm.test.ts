/**
 * Sweeps on a real Slurm: a one-node cluster from Debian's slurm-wlm and munge is started on this machine
 * (scripts/slurm-test-cluster.sh) and `denoise sweep --on slurm` submits to it. Machines without Slurm, or
 * not root, skip these tests and say why.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunSummary } from '../src/core/runs/runSummary';
import type { SlurmRunView } from '../src/app/sweep/slurm/slurmSweepStatus';
import { cancelSlurmSweep } from '../src/app/sweep/slurm/cancelSlurmSweep';
import { SlurmSweepWatcher, type SlurmTask } from '../src/extension/host/slurmSweepWatcher';
import { slurmTaskLabel } from '../src/extension/host/slurmTaskLabel';
import { slurmSkipReason, startTestCluster, type TestCluster } from './helpers/slurmCluster';
import { writeTinyExperiment } from './helpers/tinyExperiment';

const bin = join(__dirname, '..', 'bin', 'denoise');
if (!existsSync(join(__dirname, '..', 'dist', 'cli.js')))
  throw new Error('dist/cli.js is missing: run "npm run build" first (npm test does).');

const skip = slurmSkipReason();
let cluster: TestCluster;

function denoise(
  args: string[],
  env: NodeJS.ProcessEnv = cluster.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A small MNIST sweep (a few hundred images) in a fresh workspace. */
function tinySweep(name: string, sweep: unknown, extra: Record<string, Record<string, unknown>> = {}): string {
  const file = writeTinyExperiment(
    {
      dataset: { trainSize: 300, valSize: 100, testSize: 100 },
      model: { depth: 3, codeSize: 16 },
      training: { epochs: 2, batchSize: 50 },
      ...extra,
    },
    name,
  );
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), sweep }, null, 2));
  return file;
}

async function submit(file: string, ...args: string[]): Promise<string> {
  const result = await denoise(['sweep', file, '--on', 'slurm', '--json', ...args]);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const line = JSON.parse(result.stdout.trim().split('\n')[0]) as { type: string; folder: string; jobId: string };
  assert.equal(line.type, 'sweepSubmitted');
  return line.folder;
}

async function status(folder: string): Promise<SlurmRunView[]> {
  const result = await denoise(['sweep-status', folder, '--json']);
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as { runs: SlurmRunView[] }).runs;
}

/** Polls sweep-status until `done` holds (each poll rewrites the results table, as any viewer does). */
async function waitFor(
  folder: string,
  done: (runs: SlurmRunView[]) => boolean,
  what: string,
  seconds = 150,
): Promise<SlurmRunView[]> {
  const until = Date.now() + seconds * 1000;
  let runs: SlurmRunView[] = [];
  while (Date.now() < until) {
    runs = await status(folder);
    if (done(runs)) return runs;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`${what} did not happen in ${seconds} s; last status: ${JSON.stringify(runs, null, 1)}`);
}

const epochsIn = (runDir: string) =>
  readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { epoch: number }).epoch);
const summaryOf = (runDir: string) => JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;

describe('sweeps on Slurm', { skip, concurrency: false }, () => {
  let longFolder: string;
  before(async () => {
    cluster = startTestCluster();
    // Submitted first: its task must reach its 1-minute limit (Slurm checks limits every 30 s) while the
    // other tests run beside it on the node's other CPU. 10,000 epochs: 1,000 finished in under a minute on a
    // quiet machine.
    const long = tinySweep(
      'limited',
      { runs: [{ label: 'long', set: {} }] },
      { dataset: { trainSize: 2000, valSize: 100, testSize: 100 }, training: { epochs: 10000, batchSize: 50 } },
    );
    longFolder = await submit(long, '--time', '1');
  });
  after(() => cluster?.stop());

  test(
    'every run of a sweep completes on Slurm, with the same results table and metrics as the same sweep run here',
    { timeout: 240_000 },
    async () => {
      const file = tinySweep('grid', { grid: { 'model.codeSize': [8, 24], 'training.learningRate': [0.002, 0.005] } });
      const result = await denoise(['sweep', file, '--on', 'slurm', '--wait']);
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.match(result.stdout, /Sweep grid: 4 run\(s\) submitted to Slurm as job array \d+ \(tasks 0-3\)/);
      const folder = /^Results: (.+)$/m.exec(result.stdout)![1];
      assert.match(result.stdout, /Sweep grid on Slurm \(job \d+\): 4 completed/);

      const local = await denoise(
        ['sweep', file, '--parallel', '2', '--runs-dir', join(dirname(file), 'local-runs')],
        process.env,
      );
      assert.equal(local.code, 0, local.stderr);
      const localFolder = /^Results: (.+)results\.md$/m.exec(local.stdout)![1];
      const rows = (sweepFolder: string) =>
        readFileSync(join(sweepFolder, 'results.csv'), 'utf8')
          .trim()
          .split('\n')
          .map((l) =>
            l
              .match(/("[^"]*"|[^,]*)(,|$)/g)!
              .map((c) => c.replace(/,$/, ''))
              .slice(0, -1),
          );
      const slurmRows = rows(folder);
      const localRows = rows(localFolder);
      assert.equal(slurmRows.length, 5, 'a header and one row per run');
      // Every column but the time and the folder is the same: labels, statuses, hyper-parameters, figures.
      const header = slurmRows[0];
      assert.ok(header.includes('Folder') && header.includes('Time (s)'), `the table's columns: ${header.join(', ')}`);
      const varying = new Set([header.indexOf('Folder'), header.indexOf('Time (s)')]);
      const strip = (table: string[][]) => table.map((r) => r.filter((_, c) => !varying.has(c)));
      assert.deepEqual(strip(slurmRows), strip(localRows));
      const folderColumn = header.indexOf('Folder');
      for (let i = 1; i < slurmRows.length; i++) {
        const [a, b] = [summaryOf(slurmRows[i][folderColumn]), summaryOf(localRows[i][folderColumn])];
        for (const split of ['train', 'val', 'test'] as const) {
          for (const metric of ['mse', 'psnr', 'ssim'] as const) {
            assert.ok(
              Math.abs(a.metrics![split].denoised[metric] - b.metrics![split].denoised[metric]) <= 1e-6,
              `${split} ${metric} of run ${i}`,
            );
          }
        }
        assert.equal(
          JSON.parse(readFileSync(join(slurmRows[i][folderColumn], 'config.json'), 'utf8')).compute.threads,
          1,
          "BLAS threads = the task's CPUs",
        );
      }
      assert.match(readFileSync(join(folder, 'results.md'), 'utf8'), /4 of 4 runs ended, 0 did not complete/);
      const job = JSON.parse(readFileSync(join(folder, 'slurm.json'), 'utf8')) as {
        submissions: { jobId: string; indices: number[] }[];
      };
      assert.equal(job.submissions.length, 1, 'one sbatch call');
      assert.deepEqual(job.submissions[0].indices, [0, 1, 2, 3]);
      for (const i of [0, 1, 2, 3])
        assert.equal(
          JSON.parse(readFileSync(join(folder, 'tasks', `${i}.json`), 'utf8')).jobId,
          job.submissions[0].jobId,
        );
    },
  );

  test(
    'a task cancelled midway ends cancelled with its run interrupted; --resume resubmits only it and it continues',
    { timeout: 240_000 },
    async () => {
      const file = tinySweep('cancel', {
        runs: [
          { label: 'short', set: {} },
          { label: 'cut', set: { 'dataset.trainSize': 2000, 'training.epochs': 30 } },
        ],
      });
      const folder = await submit(file);
      const cut = await waitFor(
        folder,
        (runs) => runs[1].status === 'running' && (runs[1].epoch ?? 0) >= 1,
        'the second run finishing an epoch',
      );
      const cancelled = await denoise(['sweep-cancel', folder, '--run', '2']);
      assert.equal(cancelled.code, 0, cancelled.stderr);
      assert.match(cancelled.stdout, /Cancelled 1 task\(s\) \(\d+_1\)/);
      let runs = await waitFor(folder, (r) => r[0].status === 'completed' && r[1].status === 'cancelled', 'the cancel');
      assert.equal(runs[1].slurmState, 'CANCELLED');
      assert.equal(runs[1].training, 'interrupted');
      assert.equal(runs[1].runDir, cut[1].runDir);
      assert.match(runs[1].message!, /cancelled after epoch \d+\/30; `denoise sweep --resume .+` continues it/);
      const text = await denoise(['sweep-status', folder]);
      assert.match(text.stdout, /2 +cancel cut +cancelled +cancelled +interrupted \d+\/30/);
      assert.match(readFileSync(join(folder, 'results.md'), 'utf8'), /\| cancel cut \| cancelled \|/);
      const stoppedAt = epochsIn(runs[1].runDir!).length;

      const resumed = await denoise(['sweep', '--resume', folder, '--wait']);
      assert.equal(resumed.code, 0, resumed.stderr + resumed.stdout);
      assert.match(resumed.stdout, /1 run\(s\) resubmitted \(2\) to Slurm as job array \d+/);
      runs = await status(folder);
      assert.deepEqual(
        runs.map((r) => r.status),
        ['completed', 'completed'],
      );
      assert.equal(runs[1].runDir, cut[1].runDir, 'the run continued in its own folder');
      assert.deepEqual(
        epochsIn(runs[1].runDir!),
        Array.from({ length: 30 }, (_, i) => i + 1),
        'each epoch once: it went on from its checkpoint',
      );
      assert.ok(stoppedAt >= 1 && stoppedAt < 30);
      const job = JSON.parse(readFileSync(join(folder, 'slurm.json'), 'utf8')) as {
        submissions: { indices: number[] }[];
      };
      assert.deepEqual(
        job.submissions.map((s) => s.indices),
        [[0, 1], [1]],
        'only the cancelled run was resubmitted',
      );
      const again = await denoise(['sweep', '--resume', folder]);
      assert.match(again.stdout, /Nothing to resubmit in .+: every run completed/);
    },
  );

  test('Slurm errors read clearly: sbatch missing, a partition that does not exist, a refused submission', async () => {
    const file = tinySweep('errors', { grid: { 'model.codeSize': [8, 16] } });
    const noSlurm = await denoise(['sweep', file, '--on', 'slurm'], {
      ...cluster.env,
      PATH: mkdtempSync(join(tmpdir(), 'no-slurm-')),
    });
    assert.equal(noSlurm.code, 2);
    assert.match(
      noSlurm.stderr,
      /sbatch is not on the PATH: `--on slurm` needs Slurm's commands; run it on a login node/,
    );
    const partition = await denoise(['sweep', file, '--on', 'slurm', '--partition', 'gpu-nope']);
    assert.equal(partition.code, 2);
    assert.match(
      partition.stderr,
      /Slurm refused the sweep's job array:\nsbatch: error: invalid partition specified: gpu-nope/,
    );
    assert.match(partition.stderr, /Partitions on this cluster: debug\*/);
    // This cluster has no GPUs: asking for one is refused by sbatch itself.
    const gpu = await denoise(['sweep', file, '--on', 'slurm', '--gres', 'gpu:1']);
    assert.equal(gpu.code, 2);
    assert.match(
      gpu.stderr,
      /Slurm refused the sweep's job array:\nsbatch: error: Invalid generic resource \(gres\) specification/,
    );
    const badTime = await denoise(['sweep', file, '--on', 'slurm', '--time', 'soon']);
    assert.match(badTime.stderr, /time "soon" is not a Slurm time; use MM, HH:MM:SS or D-HH:MM:SS/);
    const runsDir = join(dirname(file), 'denoise-runs');
    assert.deepEqual(
      existsSync(runsDir) ? readdirSync(runsDir) : [],
      [],
      'a refused submission leaves no sweep folder',
    );
  });

  test('a task whose node cannot see the sweep folder is reported with the path', { timeout: 120_000 }, async () => {
    const file = tinySweep('unseen', { runs: [{ label: 'only', set: {} }] });
    const node = (await run('sinfo', ['-h', '-N', '-o', '%N'])).trim();
    // The node takes no new task while the folder is moved away, as if the compute node had no such path.
    await run('scontrol', ['update', `NodeName=${node}`, 'State=DRAIN', 'Reason=denoise-test']);
    let folder: string;
    try {
      folder = await submit(file);
      renameSync(folder, `${folder}.away`);
    } finally {
      await run('scontrol', ['update', `NodeName=${node}`, 'State=RESUME']);
    }
    const jobId = (
      JSON.parse(readFileSync(join(`${folder}.away`, 'slurm.json'), 'utf8')) as { submissions: { jobId: string }[] }
    ).submissions[0].jobId;
    for (let i = 0; i < 120; i++) {
      if (/FAILED/.test(await run('squeue', ['-h', '-t', 'all', '-j', jobId, '-o', '%T']))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    renameSync(`${folder}.away`, folder);
    const [view] = await status(folder);
    assert.equal(view.status, 'failed');
    assert.match(
      view.message!,
      new RegExp(
        `without writing to ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ` +
          'the compute nodes probably cannot see the runs folder',
      ),
    );
  });

  test(
    "VS Code's Runs view follows a sweep's queued and running tasks with their epochs, and Stop cancels one",
    { timeout: 120_000 },
    async () => {
      const file = tinySweep('watched', {
        runs: [
          { label: 'a', set: { 'dataset.trainSize': 2000, 'training.epochs': 40 } },
          { label: 'b', set: {} },
          { label: 'c', set: {} },
        ],
      });
      const folder = await submit(file);
      const watcher = new SlurmSweepWatcher(cluster.env);
      let changes = 0;
      watcher.onChange(() => changes++);
      try {
        // Found on disk, as after a reload: the sweep's table still lists unfinished runs.
        watcher.discover([dirname(folder)]);
        let first: SlurmTask | undefined;
        for (let i = 0; i < 120 && !(first && (first.view.epoch ?? 0) >= 1 && first.valPsnr !== undefined); i++) {
          await new Promise((r) => setTimeout(r, 500));
          await watcher.poll();
          first = watcher.tasks.find((t) => t.view.index === 0);
        }
        assert.ok(first, 'the running task is listed');
        assert.ok(changes > 0);
        const label = slurmTaskLabel(first);
        assert.match(label.description, /^running on \S+ · epoch \d+\/40 · val \d+\.\d\d dB · job \d+_0$/);
        assert.equal(label.icon, 'sync~spin');
        const waiting = slurmTaskLabel({
          ...first,
          valPsnr: undefined,
          view: { ...first.view, status: 'pending', slurmState: 'PENDING', slurmReason: 'Resources', epoch: undefined },
        });
        assert.match(waiting.description, /^queued on Slurm \(Resources\) · job \d+_0$/);
        assert.equal(waiting.icon, 'clock');
        // Stop on the task: what the Stop Run command calls for a Slurm row.
        await cancelSlurmSweep(folder, [0], cluster.env);
        await watcher.poll();
        assert.ok(!watcher.tasks.some((t) => t.view.index === 0), 'a cancelled task leaves the live rows');
        const [a] = await status(folder);
        assert.deepEqual([a.status, a.training], ['cancelled', 'interrupted']);
      } finally {
        watcher.dispose();
        await denoise(['sweep-cancel', folder]);
      }
    },
  );

  test(
    'a task stopped by its time limit is marked interrupted and --resume resubmits it from its checkpoint',
    { timeout: 200_000 },
    async () => {
      const runs = await waitFor(longFolder, (r) => r[0].status === 'timedOut', "the task's time limit", 180);
      assert.equal(runs[0].slurmState, 'TIMEOUT');
      assert.equal(runs[0].training, 'interrupted');
      assert.match(
        runs[0].message!,
        /stopped by Slurm's time limit after epoch \d+\/10000; `denoise sweep --resume .+` continues it/,
      );
      const runDir = runs[0].runDir!;
      assert.equal(
        JSON.parse(readFileSync(join(runDir, 'status.json'), 'utf8')).status,
        'interrupted',
        'status.json says so too',
      );
      const done = epochsIn(runDir).length;

      const resumed = await denoise(['sweep', '--resume', longFolder, '--time', '10', '--json']);
      assert.equal(resumed.code, 0, resumed.stderr);
      const line = JSON.parse(resumed.stdout) as { type: string; indices: number[]; options: { time: string } };
      assert.deepEqual([line.type, line.indices, line.options.time], ['sweepResubmitted', [0], '10']);
      const going = await waitFor(
        longFolder,
        (r) => r[0].status === 'running' && (r[0].epoch ?? 0) > done,
        'the resubmitted task training on',
      );
      assert.equal(going[0].runDir, runDir, 'it continues the same run folder');
      const epochs = epochsIn(runDir);
      assert.deepEqual(
        epochs,
        Array.from({ length: epochs.length }, (_, i) => i + 1),
        'from its checkpoint, each epoch once',
      );
      await denoise(['sweep-cancel', longFolder]);
    },
  );
});

/** One of Slurm's commands against the test cluster. */
function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: cluster.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')}: ${err}`)),
    );
  });
}
