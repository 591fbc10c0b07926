/**
 * `npm run bench`: training speed of Denoise Lab's engines next to PyTorch on the same machine (issue 3).
 * Each row trains in a child process of its own (bench/engineWorker.ts, bench/pytorch_models.py), so its
 * peak resident memory is its own. `--memory` runs the full-MNIST memory check instead (memoryBench.ts).
 */
import { execFile, execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { EngineName } from '../src/core/engine/selectEngine';
import { userBlasPath } from '../src/core/engine/blas/userBlas';
import { openMpWaitPolicy } from '../src/core/engine/onednn/openMpWaitPolicy';
import { BENCH_SPECS, type BenchModel } from './benchModels';
import { parseBenchOptions, SLOW_ENGINE_SHARE, SLOW_ENGINES, USAGE, type BenchOptions } from './benchOptions';
import { formatTable, withRatios, type BenchReport, type BenchRow } from './benchRows';
import type { WorkerJob, WorkerResult } from './engineWorker';
import { memoryBench } from './memoryBench';

const run = promisify(execFile);
const HERE = __dirname;
const DEFAULT_PYTHON = '/usr/bin/python3';

/** Runs a child that prints one JSON line last; a crash without one becomes a failed result. */
async function jsonChild(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<WorkerResult> {
  try {
    const { stdout } = await run(file, args, { cwd: path.join(HERE, '..'), env, maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '') as WorkerResult;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    const last = e.stdout?.trim().split('\n').pop();
    if (last?.startsWith('{')) return JSON.parse(last) as WorkerResult;
    const reason = e.stderr?.trim().split('\n').filter(Boolean).slice(-1)[0] ?? e.message;
    return { ok: false, stage: 'training', error: reason };
  }
}

/** The Python to compare with: --python, or /usr/bin/python3 when it imports torch; otherwise why not. */
function findPython(options: BenchOptions): { python?: string; note?: string } {
  if (options.noPython) return { note: 'left out by --no-python' };
  const python = options.python ?? DEFAULT_PYTHON;
  try {
    execFileSync(python, ['-c', 'import torch'], { stdio: 'pipe' });
    return { python };
  } catch {
    return {
      note: `${python} cannot import torch: install it with \`bash scripts/setup.sh --with-pytorch\` (Debian: apt-get install python3-torch libopenblas0-pthread), or pass --python PATH`,
    };
  }
}

function rowFrom(model: BenchModel, engine: string, result: WorkerResult): BenchRow {
  if (result.ok) {
    const { threads, samples, seconds, samplesPerSecond, peakRssMB } = result;
    const leak =
      'tensorsLeaked' in result && result.tensorsLeaked
        ? `${result.tensorsLeaked} tensors left after training`
        : undefined;
    const steps = 'steps' in result ? result.steps : undefined;
    const warmPeakRssMB = 'warmPeakRssMB' in result ? result.warmPeakRssMB : undefined;
    return {
      model,
      engine,
      status: 'ok',
      threads,
      samples,
      seconds,
      samplesPerSecond,
      peakRssMB,
      warmPeakRssMB,
      steps,
      note: leak,
    };
  }
  return { model, engine, status: result.stage === 'engine' ? 'unavailable' : 'failed', note: result.error };
}

/**
 * PyTorch at its best on `threads` cores. Its two thread pools multiply: torch's intra-op threads each call
 * OpenBLAS, whose own pool is OPENBLAS_NUM_THREADS. Both at 2 on this 2-core machine oversubscribed the cores
 * and ran the dense model at a third of its speed (5,232 samples/s against 18,128), so with more than one
 * thread both layouts that use every core without oversubscribing are timed for the dense models and the
 * faster one is the reference: the dense model (Linear, BLAS-bound) was fastest with torch 1 x OpenBLAS N.
 * The convolutional models (oneDNN convolutions on torch's own threads, fastest with torch N x OpenBLAS 1)
 * are timed in both memory formats instead, NCHW and channels_last, and the faster one is the reference.
 */
async function pytorchRow(
  model: BenchModel,
  options: BenchOptions,
  python: string,
  samples: number,
  env: NodeJS.ProcessEnv,
): Promise<BenchRow> {
  const n = options.threads;
  const layouts = BENCH_SPECS[model].convolutional
    ? [
        { torch: n, openblas: 1, channelsLast: false },
        { torch: n, openblas: 1, channelsLast: true },
      ]
    : n > 1
      ? [
          { torch: 1, openblas: n, channelsLast: false },
          { torch: n, openblas: 1, channelsLast: false },
        ]
      : [{ torch: 1, openblas: 1, channelsLast: false }];
  const measured: { layout: string; row: BenchRow }[] = [];
  for (const { torch, openblas, channelsLast } of layouts) {
    const args = [
      path.join(HERE, 'pytorch_models.py'),
      '--model',
      model,
      '--samples',
      String(samples),
      '--warmup-batches',
      String(Math.min(options.warmupBatches, BENCH_SPECS[model].warmup)),
      '--threads',
      String(torch),
    ];
    if (channelsLast) args.push('--channels-last');
    const row = rowFrom(
      model,
      'pytorch',
      await jsonChild(python, args, { ...env, OPENBLAS_NUM_THREADS: String(openblas) }),
    );
    measured.push({
      layout: `torch ${torch} x OpenBLAS ${openblas}${channelsLast ? ', channels_last' : BENCH_SPECS[model].convolutional ? ', NCHW' : ''}`,
      row: { ...row, threads: n },
    });
  }
  const ok = measured
    .filter((m) => m.row.status === 'ok')
    .sort((a, b) => b.row.samplesPerSecond! - a.row.samplesPerSecond!);
  if (ok.length === 0) return measured[0].row;
  if (measured.length === 1) return ok[0].row;
  const others = measured
    .filter((m) => m !== ok[0])
    .map(
      (m) => `${m.layout} ${m.row.status === 'ok' ? `${Math.round(m.row.samplesPerSecond!)} samples/s` : m.row.status}`,
    );
  return { ...ok[0].row, note: `the faster thread layout, ${ok[0].layout} (${others.join('; ')})` };
}

/** The samples an engine's row times: all of them, or for a slow engine its share in whole batches (at least one). */
function engineSamples(model: BenchModel, engine: EngineName, samples: number): number {
  if (!SLOW_ENGINES.includes(engine)) return samples;
  const batch = BENCH_SPECS[model].batch;
  return batch * Math.max(1, Math.floor(samples / SLOW_ENGINE_SHARE / batch));
}

async function benchModel(
  model: BenchModel,
  options: BenchOptions,
  python: string | undefined,
  pythonNote: string | undefined,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const samples = options.samples[model];
  // OpenBLAS sizes its thread pool from this variable (wasm-blas reads it too when --threads is 0).
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(options.threads) };
  // Where oneDNN's OpenMP threads would wait passively (the CPUs are contended), PyTorch's OpenMP threads do too.
  const omp = openMpWaitPolicy();
  if (omp.passive) env.OMP_WAIT_POLICY = 'passive';
  const ompNote = omp.passive ? `OpenMP threads wait passively on both sides (${omp.reason})` : undefined;
  const reference: BenchRow = python
    ? await pytorchRow(model, options, python, samples, env)
    : { model, engine: 'pytorch', status: 'skipped', note: pythonNote };
  const note = [reference.note, python ? ompNote : undefined].filter(Boolean).join('; ');
  rows.push({ ...reference, note: note || undefined });
  for (const engine of options.engines) {
    if (!['dense', 'cnn'].includes(model) && SLOW_ENGINES.includes(engine)) {
      rows.push({
        model,
        engine,
        status: 'skipped',
        note: `the ${engine} engine is timed on the dense model and the residual CNN only (minutes a batch here)`,
      });
      continue;
    }
    if (model === 'cnn' && engine === 'cpu' && !options.cpuCnn) {
      rows.push({
        model,
        engine,
        status: 'skipped',
        note: 'skipped by default: the cpu engine trains this CNN at a few samples/s, minutes for one row (--cpu-cnn to include)',
      });
      continue;
    }
    // The residual CNN on wasm-blas trains on the general oneDNN plan where oneDNN is installed, else on its
    // hand-written step's BLAS products: a row each.
    const variants: { label: string; oneDnn?: boolean; plan?: boolean; env?: NodeJS.ProcessEnv }[] =
      model === 'cnn' && engine === 'wasm-blas'
        ? [
            { label: `${engine} + oneDNN plan`, oneDnn: true, plan: true },
            { label: engine, oneDnn: false },
          ]
        : [{ label: engine }];
    // Where a user-level copy of Debian's OpenBLAS is unpacked (scripts/user-openblas.sh), the dense model
    // also trains on it: the engine of a Linux machine without root.
    const userBlas = userBlasPath();
    if (model === 'dense' && engine === 'wasm-blas' && userBlas) {
      variants.push({ label: `${engine} (user-level OpenBLAS)`, env: { DENOISE_BLAS_LIB: userBlas } });
    }
    for (const { label, oneDnn, plan, env: extra } of variants) {
      const job: WorkerJob = {
        model,
        engine: engine as EngineName,
        samples: engineSamples(model, engine, samples),
        warmupBatches: options.warmupBatches,
        threads: options.threads,
        oneDnn,
        plan,
      };
      rows.push(
        rowFrom(
          model,
          label,
          await jsonChild(
            process.execPath,
            ['--import', 'tsx', path.join(HERE, 'engineWorker.ts'), JSON.stringify(job)],
            { ...env, ...extra },
          ),
        ),
      );
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  if (options.memory) {
    await memoryBench(options.epochs, options.threads, options.json);
    return;
  }
  const { python, note } = findPython(options);
  const machine = {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    loadAverage: os.loadavg(),
    node: process.version,
    tfjs: (require('@tensorflow/tfjs/package.json') as { version: string }).version,
  };
  const rows: BenchRow[] = [];
  for (const model of options.models) {
    if (!options.json) process.stderr.write(`benchmarking ${model}...\n`);
    rows.push(...(await benchModel(model, options, python, note)));
  }
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine,
    data: "random images of each model's shape (28x28 MNIST-shaped, 40x40 and 512x512 gray, 64x64 colour; pixels uniform in [0,1]); speed does not depend on pixel values",
    warmupBatches: options.warmupBatches,
    rows: withRatios(rows),
  };
  console.log(options.json ? JSON.stringify(report, null, 2) : formatTable(report));
}

main().catch((err: Error) => {
  console.error(`bench: ${err.message}`);
  process.exitCode = 1;
});
