/**
 * `npm run bench:slurm`: the figures of issue 22 on a one-node Slurm cluster started on this machine
 * (scripts/slurm-test-cluster.sh; needs root and Debian's slurm-wlm and munge, which scripts/setup.sh installs):
 *   1. a 12-run sweep here (--parallel 2) and on Slurm (1 CPU per task, so 2 at once on 2 cores): the same
 *      results table and metrics to 1e-6, and the wall time of each;
 *   2. a 1,000-run sweep submitted to Slurm: how many sbatch calls and how long, then how long sweep-status
 *      takes on it (its tasks are cancelled right after).
 * Prints a table; `--json` prints the figures as one JSON object.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '../src/core/runs/runSummary';
import { slurmSkipReason, startTestCluster } from '../test/helpers/slurmCluster';

const bin = join(__dirname, '..', 'bin', 'denoise');
const json = process.argv.includes('--json');

function denoise(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string; seconds: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: (performance.now() - start) / 1000 }));
  });
}

function must<T extends { code: number | null; stdout: string; stderr: string }>(what: string, result: T): T {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.stderr}\n${result.stdout}`);
  return result;
}

function experiment(dir: string, name: string, grid: Record<string, unknown[]>): string {
  const file = join(dir, `${name}.denoise.json`);
  const config = {
    name,
    dataset: { source: 'mnist', trainSize: 300, valSize: 100, testSize: 100 },
    noise: {
      steps: [
        { type: 'gaussian', variance: 0.01 },
        { type: 'saltPepper', amount: 0.1 },
      ],
    },
    model: { type: 'dense', depth: 3, codeSize: 16 },
    training: { optimizer: 'adam', learningRate: 0.002, epochs: 2, batchSize: 50 },
    evaluation: { sampleImages: 4 },
    sweep: { grid },
  };
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** results.csv as cells, without the Time and Folder columns (they differ between two runs of one sweep). */
function table(folder: string): { rows: string[][]; folders: string[] } {
  const lines = readFileSync(join(folder, 'results.csv'), 'utf8').trim().split('\n');
  const cells = lines.map((l) =>
    l
      .match(/("[^"]*"|[^,]*)(,|$)/g)!
      .map((c) => c.replace(/,$/, ''))
      .slice(0, 18),
  );
  return { rows: cells.map((c) => c.slice(0, -2)), folders: cells.slice(1).map((c) => c[17]) };
}

function largestMetricGap(a: string[], b: string[]): number {
  let gap = 0;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i], b[i]].map((f) => JSON.parse(readFileSync(join(f, 'summary.json'), 'utf8')) as RunSummary);
    for (const split of ['train', 'val', 'test'] as const) {
      for (const metric of ['mse', 'psnr', 'ssim'] as const)
        gap = Math.max(gap, Math.abs(x.metrics![split].denoised[metric] - y.metrics![split].denoised[metric]));
    }
  }
  return gap;
}

async function main(): Promise<void> {
  const skip = slurmSkipReason();
  if (skip) {
    process.stdout.write(`bench:slurm skipped: ${skip}\n`);
    return;
  }
  const cluster = startTestCluster();
  const dir = mkdtempSync(join(tmpdir(), 'denoise-slurm-bench-'));
  try {
    // sbatch through a counting wrapper, so the figure "one sbatch call" is counted, not assumed.
    const shim = join(dir, 'shim');
    const count = join(dir, 'sbatch-calls');
    writeFileSync(count, '');
    mkdirSync(shim);
    const real = execFileSync('sh', ['-c', 'command -v sbatch'], { encoding: 'utf8' }).trim();
    writeFileSync(join(shim, 'sbatch'), `#!/bin/sh\necho call >> '${count}'\nexec '${real}' "$@"\n`);
    chmodSync(join(shim, 'sbatch'), 0o755);
    const env = { ...cluster.env, PATH: `${shim}:${cluster.env.PATH}` };

    const file = experiment(dir, 'bench12', {
      'model.codeSize': [8, 16, 24, 32],
      'training.learningRate': [0.002, 0.005, 0.01],
    });
    const rounds: { local: number; slurm: number }[] = [];
    let same = true;
    let gap = 0;
    for (let round = 0; round < 4; round++) {
      // Alternating which goes first, so a change in the machine's load does not always favour one side.
      const runLocal = async () =>
        must(
          'the local sweep',
          await denoise(['sweep', file, '--parallel', '2', '--runs-dir', join(dir, `local${round}`)], env),
        );
      const runSlurm = async () =>
        must(
          'the Slurm sweep',
          await denoise(
            [
              'sweep',
              file,
              '--on',
              'slurm',
              '--cpus-per-task',
              '1',
              '--wait',
              '--runs-dir',
              join(dir, `slurm${round}`),
            ],
            env,
          ),
        );
      const first = round % 2 === 0 ? await runLocal() : await runSlurm();
      const second = round % 2 === 0 ? await runSlurm() : await runLocal();
      const [local, slurm] = round % 2 === 0 ? [first, second] : [second, first];
      const localTable = table(/^Results: (.+)results\.md$/m.exec(local.stdout)![1]);
      const slurmTable = table(/^Results: (.+)$/m.exec(slurm.stdout)![1]);
      same &&= JSON.stringify(localTable.rows) === JSON.stringify(slurmTable.rows) && localTable.rows.length === 13;
      gap = Math.max(gap, largestMetricGap(localTable.folders, slurmTable.folders));
      rounds.push({ local: local.seconds, slurm: slurm.seconds });
    }

    const bigFile = experiment(dir, 'bench1000', { 'training.seed': Array.from({ length: 1000 }, (_, i) => i + 1) });
    writeFileSync(count, '');
    const submitted = must(
      'the 1,000-run submission',
      await denoise(['sweep', bigFile, '--on', 'slurm', '--json', '--runs-dir', join(dir, 'big')], env),
    );
    const sbatchCalls = readFileSync(count, 'utf8').split('\n').filter(Boolean).length;
    const folder = (JSON.parse(submitted.stdout.trim().split('\n')[0]) as { folder: string }).folder;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push(must('sweep-status', await denoise(['sweep-status', folder], env)).seconds);
    const listed = must('sweep-status', await denoise(['sweep-status', folder, '--json'], env));
    const runsListed = (JSON.parse(listed.stdout) as { runs: unknown[] }).runs.length;
    must('sweep-cancel', await denoise(['sweep-cancel', folder], env));
    const planBytes = statSync(join(folder, 'slurm.json')).size;

    const figures = {
      machine: `${availableParallelism()} cores`,
      sweep12: { rounds, sameTable: same, largestMetricDifference: gap },
      sweep1000: {
        sbatchCalls,
        submitSeconds: submitted.seconds,
        statusSeconds: statuses,
        runsListed,
        slurmJsonBytes: planBytes,
      },
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      return;
    }
    const f = (s: number) => `${s.toFixed(2)} s`;
    process.stdout.write(
      [
        `Slurm bench on a one-node cluster (${figures.machine}):`,
        ...rounds.map(
          (r, i) =>
            `  12-run sweep, round ${i + 1}: here --parallel 2 ${f(r.local)}, Slurm 1 CPU/task ${f(r.slurm)} ` +
            `(${((r.slurm / r.local - 1) * 100).toFixed(1)}%)`,
        ),
        `  same results table: ${same ? 'yes' : 'NO'}; largest metric difference ${gap.toExponential(2)}`,
        `  1,000-run sweep: ${sbatchCalls} sbatch call(s), submitted in ${f(submitted.seconds)} ` +
          `(slurm.json ${(planBytes / 1e6).toFixed(1)} MB)`,
        `  sweep-status on it: ${statuses.map(f).join(', ')} (${runsListed} runs listed)`,
        '',
      ].join('\n'),
    );
  } finally {
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exitCode = 1;
});
