import { availableParallelism } from 'node:os';
import { loadFirstLibrary, type Koffi, type KoffiLibrary } from '../ffi/loadFirstLibrary';
import { loadUserBlas, userBlasPath, userBlasRoot } from './userBlas';

/** cblas_sgemm's arguments after the storage order: C = alpha * op(A) op(B) + beta * C. */
export type SgemmOperands = [
  transA: number,
  transB: number,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  beta: number,
  c: Float32Array,
  ldc: number,
];

/** cblas_sgemm as called through the FFI (row-major in every call of Denoise Lab's). */
export type Sgemm = (order: number, ...operands: SgemmOperands) => void;

export interface BlasLibrary {
  readonly path: string;
  readonly sgemm: Sgemm;
  readonly threads: number;
  /** OpenBLAS's thread count for the calls that follow (undefined for libraries that manage their own). */
  readonly setThreads?: (threads: number) => void;
}

export const CBLAS = { rowMajor: 101, noTrans: 111, trans: 112 } as const;

/** cblas_sgemm as koffi declares it (the BLAS worker threads of blasWorkers.ts declare the same). */
export const SGEMM_SIGNATURE =
  'void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb, float beta, _Inout_ float *c, int ldc)';

/**
 * The same sgemm, but beta 0 becomes a fill with zeros and beta 1. OpenBLAS 0.3.21 clears C for beta 0 in a
 * separate slow pass: measured once on BENCHMARKS.md's 2-core AVX-512 machine with 2 threads, a 7200x32x32
 * product took 111 us with beta 0 and 70 with beta 1, a 8100x32x9 one 112 against 29, while filling those 230K
 * floats with zeros took 6 us. Row-major only (all of Denoise Lab's calls); the result is the same, since
 * C = alpha op(A) op(B) + 1 x 0.
 */
function clearingCFirst(sgemm: Sgemm): Sgemm {
  return (order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
    if (beta === 0 && order === CBLAS.rowMajor) {
      if (ldc === n) c.fill(0, 0, m * n);
      else for (let row = 0; row < m; row++) c.fill(0, row * ldc, row * ldc + n);
      beta = 1;
    }
    sgemm(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  };
}

/** Where the system BLAS usually is, by platform; DENOISE_BLAS_LIB names another. */
function candidates(): string[] {
  const own = process.env.DENOISE_BLAS_LIB;
  if (own) return [own];
  switch (process.platform) {
    case 'darwin':
      return ['/System/Library/Frameworks/Accelerate.framework/Accelerate'];
    case 'win32':
      return ['libopenblas.dll'];
    default:
      return [
        'libopenblas.so.0',
        '/usr/lib/x86_64-linux-gnu/libopenblas.so.0',
        '/usr/lib/aarch64-linux-gnu/libopenblas.so.0',
        'libopenblas.so',
        'libblas.so.3',
      ];
  }
}

/** How to get a BLAS on this platform, for the error shown when none loads. */
export function blasInstallHint(): string {
  if (process.platform === 'darwin') return 'macOS ships Accelerate; check DENOISE_BLAS_LIB if it is set';
  if (process.platform === 'win32') return 'put libopenblas.dll on the PATH or set DENOISE_BLAS_LIB to its path';
  return (
    "install OpenBLAS (Debian/Ubuntu: apt-get install libopenblas0-pthread), or without root unpack Debian's packages " +
    `into ${userBlasRoot()} (apt-get download libopenblas0-pthread libgfortran5 libquadmath0; dpkg-deb -x each .deb there; ` +
    'see docs/fast-without-root.md), or set DENOISE_BLAS_LIB'
  );
}

/**
 * Loads cblas_sgemm from the system BLAS through koffi. Returns no library, with the reasons, when none loads.
 */
export function loadBlas(threads: number): { blas?: BlasLibrary; problems: string[] } {
  const bind = (_koffi: Koffi, lib: KoffiLibrary, path: string): BlasLibrary => {
    const sgemm = clearingCFirst(lib.func(SGEMM_SIGNATURE) as Sgemm);
    const wanted = threads > 0 ? threads : Number(process.env.OPENBLAS_NUM_THREADS) || availableParallelism();
    let setThreads: ((n: number) => void) | undefined;
    try {
      setThreads = lib.func('void openblas_set_num_threads(int n)') as (n: number) => void;
      setThreads(wanted);
    } catch {
      // Not OpenBLAS (Accelerate, reference BLAS): it manages its own threads.
    }
    return { path, sgemm, threads: wanted, setThreads };
  };
  // DENOISE_BLAS_LIB may name the user copy itself (the bench does): it needs its Fortran runtime loaded first.
  if (process.env.DENOISE_BLAS_LIB && process.env.DENOISE_BLAS_LIB === userBlasPath()) {
    const user = loadUserBlas(bind);
    return { blas: user.value, problems: user.problems };
  }
  const system = loadFirstLibrary(candidates(), bind, `no BLAS library found (${candidates().join(', ')})`);
  if (system.value || process.env.DENOISE_BLAS_LIB) return { blas: system.value, problems: system.problems };
  // No system BLAS: a user-level copy of Debian's OpenBLAS, when one was unpacked (userBlas.ts).
  const user = loadUserBlas(bind);
  return { blas: user.value, problems: [...system.problems, ...user.problems] };
}
