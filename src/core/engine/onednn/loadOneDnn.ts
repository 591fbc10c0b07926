import { keepLoaded } from '../ffi/keepLoaded';
import { loadFirstLibrary, type Koffi, type KoffiLibrary } from '../ffi/loadFirstLibrary';
import { withOpenMpWaitPolicy } from './openMpWaitPolicy';

/**
 * oneDNN (Intel's deep-learning primitives, Debian's `libdnnl2`), called through koffi like the BLAS. It is the
 * library PyTorch's own convolutions run on (Debian's torch links this same libdnnl.so.2), and its convolutions
 * are written for each instruction set. Measured once on BENCHMARKS.md's 2-core AVX-512 machine, its kernels did
 * a 32->32 3x3 convolution of 128 MNIST images in 4.5 ms forward, 4.2 ms for the input gradient and 5.1 ms for
 * the filter gradient, against 9.5 ms per pass for the BLAS products of residualCnnStep.ts (OpenBLAS held to its
 * AVX2 kernels there): the whole step ran 2x faster. On its 2-core AVX2 machine (jit:avx2) the benchmark's rows
 * gained 6-23%. Only the C API of oneDNN 2.x is bound (3.x replaced it): these declarations follow
 * oneapi/dnnl/dnnl.h of 2.6.
 */

/** The opaque handles oneDNN hands back (engine, stream, primitive, memory, descriptors). */
export type Handle = unknown;

/** Constants of oneapi/dnnl/dnnl_types.h (2.x). */
export const DNNL = {
  cpu: 1,
  streamDefault: 1,
  f32: 3,
  /** nchw is abcd; nChw16c (aBcd16b) keeps 16 channels of a pixel together, Winograd's layout. */
  tag: { any: 1, a: 2, ab: 3, nchw: 5, nhwc: 20, hwio: 30, nChw16c: 69 },
  prop: { forwardTraining: 64, forwardInference: 96, backward: 128, backwardData: 160, backwardWeights: 192 },
  alg: {
    convolutionDirect: 1,
    convolutionWinograd: 2,
    deconvolutionDirect: 0xa,
    relu: 0x1f,
    tanh: 0x2f,
    elu: 0x3f,
    /** log(1 + e^x), TensorFlow.js's softplus; its gradient needs the input. */
    softRelu: 0x9f,
    logistic: 0xaf,
    log: 0xef,
    reluUseDstForBackward: 0x100,
    tanhUseDstForBackward: 0x101,
    eluUseDstForBackward: 0x102,
    logisticUseDstForBackward: 0x104,
    poolingMax: 0x1ff,
    binaryAdd: 0x1fff0,
    binaryMul: 0x1fff1,
  },
  /**
   * dnnl_normalization_flags_t: the given mean and variance; a ReLU after; scale (gamma) and shift (beta) as two
   * arrays.
   */
  batchNormFlags: { useGlobalStats: 0x1, fuseNormRelu: 0x4, useScale: 0x8, useShift: 0x10 },
  query: { implInfo: 8, weights: 131, diffWeights: 132, workspace: 135 },
  arg: {
    src: 1,
    src1: 2,
    dst: 17,
    weights: 33,
    bias: 41,
    mean: 49,
    variance: 50,
    scale: 51,
    shift: 52,
    workspace: 64,
    diffSrc: 129,
    diffSrc1: 130,
    diffDst: 145,
    diffWeights: 161,
    diffBias: 169,
    diffScale: 255,
    diffShift: 256,
  },
  /** DNNL_MEMORY_ALLOCATE: the library allocates the memory (64-byte aligned) itself. */
  allocate: 2n ** 64n - 1n,
} as const;

const STATUS = [
  'success',
  'out of memory',
  'invalid arguments',
  'unimplemented',
  'iterator ends',
  'runtime error',
  'not required',
];

/**
 * Sizes of dnnl_memory_desc_t (696 bytes in 2.6), dnnl_convolution_desc_t (5,976) and dnnl_eltwise_desc_t (1,416),
 * with room to spare.
 */
export const DESC_BYTES = { memory: 1024, op: 8192 } as const;

type Call = (...args: unknown[]) => number;

export interface OneDnn {
  readonly path: string;
  readonly version: string;
  /** OpenMP's thread count for the calls that follow. */
  readonly setThreads: (threads: number) => void;
  readonly engine: Handle;
  readonly stream: Handle;
  /** The bound functions, by their C names without `dnnl_`; each throws with the status name on failure. */
  readonly call: Record<string, (...args: unknown[]) => void>;
  readonly queryMd: (pd: Handle, what: number, index: number) => Handle;
  readonly implementation: (pd: Handle) => string;
  readonly address: (handle: Handle) => bigint;
  readonly view: (handle: Handle, bytes: number) => ArrayBuffer;
}

const SIGNATURES: Record<string, string> = {
  engine_create: 'int dnnl_engine_create(_Out_ void **engine, int kind, size_t index)',
  stream_create: 'int dnnl_stream_create(_Out_ void **stream, void *engine, unsigned int flags)',
  stream_wait: 'int dnnl_stream_wait(void *stream)',
  memory_desc_init_by_tag:
    'int dnnl_memory_desc_init_by_tag(_Inout_ uint8_t *md, int ndims, const int64_t *dims, int dt, int tag)',
  memory_desc_init_by_strides:
    'int dnnl_memory_desc_init_by_strides(_Inout_ uint8_t *md, int ndims, const int64_t *dims, int dt, const int64_t *strides)',
  deconvolution_forward_desc_init:
    'int dnnl_deconvolution_forward_desc_init(_Inout_ uint8_t *desc, int prop, int alg, const uint8_t *src, const uint8_t *weights, const uint8_t *bias, const uint8_t *dst, const int64_t *strides, const int64_t *padLeft, const int64_t *padRight)',
  deconvolution_backward_data_desc_init:
    'int dnnl_deconvolution_backward_data_desc_init(_Inout_ uint8_t *desc, int alg, const uint8_t *diffSrc, const uint8_t *weights, const uint8_t *diffDst, const int64_t *strides, const int64_t *padLeft, const int64_t *padRight)',
  deconvolution_backward_weights_desc_init:
    'int dnnl_deconvolution_backward_weights_desc_init(_Inout_ uint8_t *desc, int alg, const uint8_t *src, const uint8_t *diffWeights, const uint8_t *diffBias, const uint8_t *diffDst, const int64_t *strides, const int64_t *padLeft, const int64_t *padRight)',
  pooling_forward_desc_init:
    'int dnnl_pooling_forward_desc_init(_Inout_ uint8_t *desc, int prop, int alg, const uint8_t *src, const uint8_t *dst, const int64_t *strides, const int64_t *kernel, const int64_t *padLeft, const int64_t *padRight)',
  pooling_backward_desc_init:
    'int dnnl_pooling_backward_desc_init(_Inout_ uint8_t *desc, int alg, const uint8_t *diffSrc, const uint8_t *diffDst, const int64_t *strides, const int64_t *kernel, const int64_t *padLeft, const int64_t *padRight)',
  binary_desc_init:
    'int dnnl_binary_desc_init(_Inout_ uint8_t *desc, int alg, const uint8_t *src0, const uint8_t *src1, const uint8_t *dst)',
  batch_normalization_forward_desc_init:
    'int dnnl_batch_normalization_forward_desc_init(_Inout_ uint8_t *desc, int prop, const uint8_t *data, float epsilon, unsigned int flags)',
  batch_normalization_backward_desc_init:
    'int dnnl_batch_normalization_backward_desc_init(_Inout_ uint8_t *desc, int prop, const uint8_t *diffData, const uint8_t *data, float epsilon, unsigned int flags)',
  convolution_forward_desc_init:
    'int dnnl_convolution_forward_desc_init(_Inout_ uint8_t *desc, int prop, int alg, const uint8_t *src, const uint8_t *weights, const uint8_t *bias, const uint8_t *dst, const int64_t *strides, const int64_t *padLeft, const int64_t *padRight)',
  convolution_backward_data_desc_init:
    'int dnnl_convolution_backward_data_desc_init(_Inout_ uint8_t *desc, int alg, const uint8_t *diffSrc, const uint8_t *weights, const uint8_t *diffDst, const int64_t *strides, const int64_t *padLeft, const int64_t *padRight)',
  convolution_backward_weights_desc_init:
    'int dnnl_convolution_backward_weights_desc_init(_Inout_ uint8_t *desc, int alg, const uint8_t *src, const uint8_t *diffWeights, const uint8_t *diffBias, const uint8_t *diffDst, const int64_t *strides, const int64_t *padLeft, const int64_t *padRight)',
  inner_product_forward_desc_init:
    'int dnnl_inner_product_forward_desc_init(_Inout_ uint8_t *desc, int prop, const uint8_t *src, const uint8_t *weights, const uint8_t *bias, const uint8_t *dst)',
  inner_product_backward_data_desc_init:
    'int dnnl_inner_product_backward_data_desc_init(_Inout_ uint8_t *desc, const uint8_t *diffSrc, const uint8_t *weights, const uint8_t *diffDst)',
  inner_product_backward_weights_desc_init:
    'int dnnl_inner_product_backward_weights_desc_init(_Inout_ uint8_t *desc, const uint8_t *src, const uint8_t *diffWeights, const uint8_t *diffBias, const uint8_t *diffDst)',
  matmul_desc_init:
    'int dnnl_matmul_desc_init(_Inout_ uint8_t *desc, const uint8_t *src, const uint8_t *weights, const uint8_t *bias, const uint8_t *dst)',
  eltwise_forward_desc_init:
    'int dnnl_eltwise_forward_desc_init(_Inout_ uint8_t *desc, int prop, int alg, const uint8_t *data, float alpha, float beta)',
  eltwise_backward_desc_init:
    'int dnnl_eltwise_backward_desc_init(_Inout_ uint8_t *desc, int alg, const uint8_t *diffData, const uint8_t *data, float alpha, float beta)',
  primitive_attr_create: 'int dnnl_primitive_attr_create(_Out_ void **attr)',
  primitive_attr_destroy: 'int dnnl_primitive_attr_destroy(void *attr)',
  post_ops_create: 'int dnnl_post_ops_create(_Out_ void **postOps)',
  post_ops_destroy: 'int dnnl_post_ops_destroy(void *postOps)',
  post_ops_append_eltwise:
    'int dnnl_post_ops_append_eltwise(void *postOps, float scale, int alg, float alpha, float beta)',
  primitive_attr_set_post_ops: 'int dnnl_primitive_attr_set_post_ops(void *attr, void *postOps)',
  primitive_desc_create:
    'int dnnl_primitive_desc_create(_Out_ void **pd, const uint8_t *opDesc, void *attr, void *engine, void *hint)',
  reorder_primitive_desc_create:
    'int dnnl_reorder_primitive_desc_create(_Out_ void **pd, const void *srcMd, void *srcEngine, const void *dstMd, void *dstEngine, void *attr)',
  primitive_desc_destroy: 'int dnnl_primitive_desc_destroy(void *pd)',
  primitive_create: 'int dnnl_primitive_create(_Out_ void **primitive, void *pd)',
  primitive_destroy: 'int dnnl_primitive_destroy(void *primitive)',
  primitive_execute: 'int dnnl_primitive_execute(void *primitive, void *stream, int nargs, const uint8_t *args)',
  memory_create: 'int dnnl_memory_create(_Out_ void **memory, const void *md, void *engine, uint64_t handle)',
  memory_get_data_handle: 'int dnnl_memory_get_data_handle(void *memory, _Out_ void **handle)',
  memory_set_data_handle: 'int dnnl_memory_set_data_handle(void *memory, uint64_t handle)',
  // The same function with the floats of a JavaScript array as its handle (koffi passes the array's own bytes).
  memory_create_on_array: 'int dnnl_memory_create(_Out_ void **memory, const void *md, void *engine, void *floats)',
  memory_destroy: 'int dnnl_memory_destroy(void *memory)',
};

/** Where oneDNN 2.x usually is, by platform; DENOISE_ONEDNN_LIB names another, or `none` to leave it out. */
function candidates(): string[] {
  const own = process.env.DENOISE_ONEDNN_LIB;
  if (own) return own === 'none' ? [] : [own];
  if (process.platform === 'darwin')
    return ['libdnnl.2.dylib', '/usr/local/lib/libdnnl.2.dylib', '/opt/homebrew/lib/libdnnl.2.dylib'];
  if (process.platform === 'win32') return ['dnnl.dll'];
  return ['libdnnl.so.2', '/usr/lib/x86_64-linux-gnu/libdnnl.so.2', '/usr/lib/aarch64-linux-gnu/libdnnl.so.2'];
}

/**
 * How to set OpenMP's thread count for oneDNN's calls (Debian's oneDNN runs on GNU OpenMP, which reads it per
 * call from the calling thread), or a no-op for another runtime or a oneDNN on its own thread pool: those keep
 * their default, all cores.
 */
function openMpThreads(koffi: Koffi): (threads: number) => void {
  for (const name of ['libgomp.so.1', 'libgomp.1.dylib', 'libiomp5.so', 'libomp.so', 'libomp.dylib']) {
    try {
      return koffi.load(name).func('void omp_set_num_threads(int n)') as (n: number) => void;
    } catch {
      // Try the next runtime's name.
    }
  }
  return () => undefined;
}

const loaded = new Map<string, { onednn?: OneDnn; problems: string[] }>();

/**
 * oneDNN with a CPU engine and a stream, loaded once per process (and per DENOISE_ONEDNN_LIB value); undefined with
 * the reasons when it is not
 * installed, is not 2.x, or does not start. Nothing depends on it: without it the residual CNN's products
 * run on the BLAS (residualCnnStep.ts) and the models of the general plan (../plan/) on TensorFlow.js's tape.
 */
export function loadOneDnn(): { onednn?: OneDnn; problems: string[] } {
  const key = process.env.DENOISE_ONEDNN_LIB ?? '';
  if (!loaded.has(key)) loaded.set(key, open());
  return loaded.get(key)!;
}

function open(): { onednn?: OneDnn; problems: string[] } {
  const notFound =
    process.env.DENOISE_ONEDNN_LIB === 'none'
      ? 'left out by DENOISE_ONEDNN_LIB=none'
      : `oneDNN not found (${candidates().join(', ')})`;
  const { value, problems } = withOpenMpWaitPolicy(() => loadFirstLibrary(candidates(), bind, notFound));
  return { onednn: value, problems };
}

/** oneDNN's functions from a loaded library, with a CPU engine and a stream; throws for a version other than 2.x. */
function bind(koffi: Koffi, lib: KoffiLibrary, path: string): OneDnn {
  const Version = koffi.struct({ major: 'int', minor: 'int', patch: 'int', hash: 'const char *' });
  const version = (lib.func('dnnl_version', koffi.pointer(Version), []) as () => unknown)();
  const { major, minor, patch } = koffi.decode(version, Version) as { major: number; minor: number; patch: number };
  if (major !== 2) throw new Error(`oneDNN ${major}.${minor}.${patch}, and Denoise Lab binds the 2.x API`);
  keepLoaded(koffi, [path, 'libgomp.so.1']);
  const call: Record<string, (...args: unknown[]) => void> = {};
  for (const [name, signature] of Object.entries(SIGNATURES)) {
    const fn = lib.func(signature) as Call;
    call[name] = (...args) => {
      const status = fn(...args);
      if (status !== 0) throw new Error(`oneDNN dnnl_${name} failed: ${STATUS[status] ?? `status ${status}`}`);
    };
  }
  const queryMd = lib.func('const void *dnnl_primitive_desc_query_md(void *pd, int what, int index)') as (
    pd: Handle,
    what: number,
    index: number,
  ) => Handle;
  const query = lib.func(
    'int dnnl_primitive_desc_query(void *pd, int what, int index, _Out_ const char **result)',
  ) as Call;
  const implementation = (pd: Handle) => {
    const out: [string | null] = [null];
    query(pd, DNNL.query.implInfo, 0, out);
    return out[0] ?? 'unknown';
  };
  const engine: [Handle] = [null];
  call.engine_create(engine, DNNL.cpu, 0);
  const stream: [Handle] = [null];
  call.stream_create(stream, engine[0], DNNL.streamDefault);
  return {
    path,
    version: `${major}.${minor}.${patch}`,
    setThreads: openMpThreads(koffi),
    engine: engine[0],
    stream: stream[0],
    call,
    queryMd,
    implementation,
    address: (handle) => koffi.address(handle),
    view: (handle, bytes) => koffi.view(handle, bytes),
  };
}
