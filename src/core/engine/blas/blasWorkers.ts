import { Worker } from 'node:worker_threads';
import { SGEMM_SIGNATURE, type BlasLibrary } from './loadBlas';
import { elementwiseModule, type DenseElementwise } from '../wasm/denseElementwise';

/** One cblas_sgemm call, row-major, on views of the shared memory given to BlasWorkers. */
export interface SgemmCall {
  transA: number;
  transB: number;
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: Float32Array;
  lda: number;
  b: Float32Array;
  ldb: number;
  beta: number;
  c: Float32Array;
  ldc: number;
}

/** The ReLU of `count` floats from `relu` on, in place (denseElementwise.wat). */
export interface ReluCall {
  relu: Float32Array;
  count: number;
}

/** The ReLU gradient of rows x channels floats of `gradient` against `output`, its column sums added onto `sums`. */
export interface ReluGradSumsCall {
  gradient: Float32Array;
  output: Float32Array;
  rows: number;
  channels: number;
  sums: Float32Array;
}

export type PassCall = SgemmCall | ReluCall | ReluGradSumsCall;

/**
 * Numbers per call in the command buffer: an op code, then up to 13 fields with views as float offsets into the
 * memory.
 */
const FIELDS = 14;
/** What a command asks for (its first number). */
const Op = { sgemm: 0, relu: 1, reluGradSums: 2 } as const;
const MAX_CALLS = 8192;
/** A worker's state, in its control word: the main thread sets go and exit, the worker the others. */
const State = { idle: 0, go: 1, done: 2, exit: 3, failed: 4, starting: 5 } as const;
/** How long a worker may take to load koffi and the library before the step runs on this thread alone. */
const START_TIMEOUT_MS = 20_000;

/*
 * The worker: plain JavaScript run with eval, so it needs no file of its own next to the esbuild bundles. It
 * loads the same BLAS through koffi and the same SIMD module, and runs the calls it is handed (sgemm
 * single-threaded) on the shared memory.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const koffi = require(workerData.koffi);
const lib = koffi.load(workerData.library);
const sgemm = lib.func(workerData.signature);
const floats = new Float32Array(workerData.memory.buffer);
const simd = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } }).exports;
const state = new Int32Array(workerData.control);
const commands = new Float64Array(workerData.commands);
Atomics.store(state, 0, ${State.idle});
Atomics.notify(state, 0);
for (;;) {
  Atomics.wait(state, 0, ${State.idle});
  const now = Atomics.load(state, 0);
  if (now === ${State.exit}) break;
  if (now !== ${State.go}) continue;
  try {
    const count = state[1];
    for (let i = 0; i < count; i++) {
      const c = commands.subarray(i * ${FIELDS}, (i + 1) * ${FIELDS});
      if (c[0] === ${Op.relu}) {
        const bulk = c[2] & ~3;
        simd.relu(c[1] * 4, bulk);
        for (let j = c[1] + bulk; j < c[1] + c[2]; j++) floats[j] = Math.max(floats[j], 0);
      } else if (c[0] === ${Op.reluGradSums}) {
        simd.reluGradColumnSums(c[1] * 4, c[2] * 4, c[3], c[4], c[5] * 4);
      } else {
        const view = (at) => floats.subarray(at);
        const m = c[3], n = c[4];
        let beta = c[11];
        const out = view(c[12]), ldc = c[13];
        // As loadBlas.ts does for every caller: OpenBLAS 0.3.21 clears C for beta 0 in a slow pass of its own.
        if (beta === 0) {
          // One fill when the rows are contiguous: a fill per row cost the worker 7-8 ms a step (measured
          // once on BENCHMARKS.md's 2-core AVX-512 machine).
          if (ldc === n) out.fill(0, 0, m * n);
          else for (let row = 0; row < m; row++) out.fill(0, row * ldc, row * ldc + n);
          beta = 1;
        }
        sgemm(101, c[1], c[2], m, n, c[5], c[6], view(c[7]), c[8], view(c[9]), c[10], beta, out, ldc);
      }
    }
    Atomics.store(state, 0, ${State.done});
  } catch (err) {
    Atomics.store(state, 0, ${State.failed});
  }
  Atomics.notify(state, 0);
}
`;

interface Helper {
  worker: Worker;
  state: Int32Array;
  commands: Float64Array;
}

/**
 * Runs lists of calls (sgemm, and the ReLU passes of denseElementwise.wat) on several threads at once: the
 * first list here, each other list on a worker thread of its own, every sgemm single-threaded, and returns
 * when all are done.
 *
 * Why not OpenBLAS's own threads: it splits each call, and the residual CNN's calls are many small ones
 * ([7,500 x 32] x [32 x 32] per filter tap). Measured once on BENCHMARKS.md's 2-core AVX-512 machine, one 32->32 3x3
 * forward pass at batch 128: 18.1 ms on 1 thread, 20-23 ms on OpenBLAS's 2 threads (a stretch when the machine
 * was slow to wake its second core; on better stretches 11.3 ms), and 9.6 ms with the batch split in two halves,
 * one per thread, each half's calls single-threaded. PyTorch splits its convolutions the same coarse way.
 */
export class BlasWorkers {
  private readonly helpers: Helper[] = [];
  private readonly floats: Float32Array;

  constructor(
    private readonly blas: BlasLibrary,
    private readonly elementwise: DenseElementwise,
    /** Threads in all, this one included; 1 when the workers did not start. */
    public threads: number,
  ) {
    const memory = elementwise.memory;
    this.floats = new Float32Array(memory.buffer);
    for (let i = 1; i < threads; i++) {
      const control = new SharedArrayBuffer(8);
      new Int32Array(control)[0] = State.starting;
      const commands = new SharedArrayBuffer(MAX_CALLS * FIELDS * 8);
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          koffi: require.resolve('koffi'),
          library: blas.path,
          signature: SGEMM_SIGNATURE,
          memory,
          module: elementwiseModule(),
          control,
          commands,
        },
      });
      // Never what keeps a process alive; dispose() ends them.
      worker.unref();
      this.helpers.push({ worker, state: new Int32Array(control), commands: new Float64Array(commands) });
    }
    // Waits here for the workers to load koffi and the library: one that cannot would never answer a go.
    for (const helper of this.helpers) {
      const started =
        Atomics.wait(helper.state, 0, State.starting, START_TIMEOUT_MS) !== 'timed-out' ||
        Atomics.load(helper.state, 0) !== State.starting;
      if (!started) {
        this.dispose();
        this.threads = 1;
        break;
      }
    }
  }

  /** Runs parts[0] on this thread and parts[i] on worker i, concurrently; at most `threads` parts. */
  run(parts: readonly (readonly PassCall[])[]): void {
    if (parts.length > this.threads) throw new Error(`${parts.length} parts for ${this.threads} threads`);
    const busy: Helper[] = [];
    parts.slice(1).forEach((calls, i) => {
      if (calls.length === 0) return;
      const helper = this.helpers[i];
      this.encode(calls, helper);
      Atomics.store(helper.state, 0, State.go);
      Atomics.notify(helper.state, 0);
      busy.push(helper);
    });
    this.blas.setThreads?.(1);
    let helperFailed = false;
    try {
      for (const call of parts[0] ?? []) this.call(call);
    } finally {
      // Every helper is waited for, even after a failure, so none is still writing when the caller goes on.
      for (const helper of busy) {
        while (Atomics.load(helper.state, 0) === State.go) Atomics.wait(helper.state, 0, State.go);
        if (Atomics.load(helper.state, 0) === State.failed) helperFailed = true;
        Atomics.store(helper.state, 0, State.idle);
      }
      this.blas.setThreads?.(this.blas.threads);
    }
    if (helperFailed) throw new Error('a BLAS worker thread failed');
  }

  dispose(): void {
    for (const helper of this.helpers) {
      Atomics.store(helper.state, 0, State.exit);
      Atomics.notify(helper.state, 0);
      void helper.worker.terminate();
    }
    this.helpers.length = 0;
  }

  private call(c: PassCall): void {
    if ('relu' in c) this.elementwise.relu(c.relu, c.count);
    else if ('sums' in c) this.elementwise.reluGradColumnSums(c.gradient, c.output, c.rows, c.channels, c.sums);
    else this.blas.sgemm(101, c.transA, c.transB, c.m, c.n, c.k, c.alpha, c.a, c.lda, c.b, c.ldb, c.beta, c.c, c.ldc);
  }

  /** The call as numbers for a worker's command buffer. */
  private fields(c: PassCall): number[] {
    const at = (view: Float32Array) => {
      if (view.buffer !== this.floats.buffer) throw new Error('an operand is not in the shared memory');
      return view.byteOffset / 4;
    };
    if ('relu' in c) return [Op.relu, at(c.relu), c.count];
    if ('sums' in c) return [Op.reluGradSums, at(c.gradient), at(c.output), c.rows, c.channels, at(c.sums)];
    return [
      Op.sgemm,
      c.transA,
      c.transB,
      c.m,
      c.n,
      c.k,
      c.alpha,
      at(c.a),
      c.lda,
      at(c.b),
      c.ldb,
      c.beta,
      at(c.c),
      c.ldc,
    ];
  }

  private encode(calls: readonly PassCall[], helper: Helper): void {
    if (calls.length > MAX_CALLS) throw new Error(`${calls.length} calls in one part (at most ${MAX_CALLS})`);
    calls.forEach((c, i) => helper.commands.set(this.fields(c), i * FIELDS));
    helper.state[1] = calls.length;
  }
}
