import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { EngineName } from '../src/core/engine/selectEngine';
import { BENCH_MODELS, BENCH_SPECS, type BenchModel } from './benchModels';

export const ALL_ENGINES: readonly EngineName[] = ['tensorflow', 'wasm-blas', 'wasm', 'cpu'];

/**
 * The engines that train at a few percent of PyTorch's speed time a fifth of the samples: enough for a steady
 * figure, and the full bench stays within minutes. The others need the full count: at 60 dense batches (about
 * 2 s) one run in five on a 2-core AMD EPYC (AVX2) read wasm-blas at 0.89x PyTorch; at 300 batches three runs
 * read 1.10-1.21x.
 */
export const SLOW_ENGINES: readonly EngineName[] = ['wasm', 'cpu'];
export const SLOW_ENGINE_SHARE = 5;

export interface BenchOptions {
  readonly engines: readonly EngineName[];
  readonly models: readonly BenchModel[];
  readonly samples: Readonly<Record<BenchModel, number>>;
  readonly warmupBatches: number;
  readonly threads: number;
  /** An explicit Python; undefined: /usr/bin/python3 when it imports torch. */
  readonly python?: string;
  readonly noPython: boolean;
  readonly cpuCnn: boolean;
  readonly json: boolean;
  readonly memory: boolean;
  readonly epochs: number;
}

export const USAGE = `npm run bench -- [options]
  --samples N         images the dense model trains on, after the warm-up (default 76800 = 300 batches of 256;
                      ${SLOW_ENGINES.join(' and ')}: 1/${SLOW_ENGINE_SHARE} of it)
  --cnn-samples N     images the residual CNN trains on (default 5120 = 40 batches of 128; ${SLOW_ENGINES.join(' and ')}: 1/${SLOW_ENGINE_SHARE})
  --batches LIST      timed batches of the other models, e.g. conv=10,dncnn17=2 (defaults: ${BENCH_MODELS.filter(
    (m) => m !== 'dense' && m !== 'cnn',
  )
    .map((m) => `${m} ${BENCH_SPECS[m].batches}`)
    .join(', ')};
                      dncnn17-infer counts 512x512 images, dncnn17-apply 12 MP files)
  --warmup N          warm-up batches before timing (default 3)
  --engines LIST      comma-separated, from ${ALL_ENGINES.join(',')} (default: all; the ones that do not load are listed as such)
  --models LIST       from ${BENCH_MODELS.join(',')} (default: all)
  --threads N         BLAS threads for wasm-blas and torch.set_num_threads (default: the machine's cores)
  --python PATH       Python with PyTorch for the reference rows (default /usr/bin/python3 when it imports torch)
  --no-python         no PyTorch rows
  --cpu-cnn           also train the CNN on the cpu engine (skipped by default: it takes minutes)
  --json              print the results as JSON
  --memory            instead: full-MNIST training of the dense model on wasm-blas, RSS and tensors per epoch
  --epochs N          epochs for --memory (default 3)`;

function positiveInt(text: string | undefined, fallback: number, flag: string, min = 1): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer of at least ${min} (got '${text}')`);
  return n;
}

function list<T extends string>(text: string | undefined, allowed: readonly T[], flag: string): readonly T[] {
  if (text === undefined) return allowed;
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const wrong = items.filter((s) => !allowed.includes(s as T));
  if (wrong.length || !items.length)
    throw new Error(`${flag}: unknown ${wrong.join(', ') || '(empty)'}; choose from ${allowed.join(', ')}`);
  return items as T[];
}

/**
 * Timed images per model: --samples and --cnn-samples for the first two, --batches (or the defaults) times the batch
 * for the rest.
 */
function samplesPerModel(
  dense: string | undefined,
  cnn: string | undefined,
  batches: string | undefined,
): Record<BenchModel, number> {
  const asked = new Map<string, string>();
  for (const item of (batches ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [model, count] = item.split('=');
    if (!BENCH_MODELS.includes(model as BenchModel) || count === undefined)
      throw new Error(`--batches: '${item}' is not MODEL=N with MODEL one of ${BENCH_MODELS.join(', ')}`);
    asked.set(model, count);
  }
  const samples = {} as Record<BenchModel, number>;
  for (const model of BENCH_MODELS) {
    const spec = BENCH_SPECS[model];
    samples[model] = spec.batch * positiveInt(asked.get(model), spec.batches, `--batches ${model}`);
  }
  samples.dense = positiveInt(dense, samples.dense, '--samples');
  samples.cnn = positiveInt(cnn, samples.cnn, '--cnn-samples');
  return samples;
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      samples: { type: 'string' },
      'cnn-samples': { type: 'string' },
      warmup: { type: 'string' },
      engines: { type: 'string' },
      models: { type: 'string' },
      batches: { type: 'string' },
      threads: { type: 'string' },
      python: { type: 'string' },
      'no-python': { type: 'boolean', default: false },
      'cpu-cnn': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      memory: { type: 'boolean', default: false },
      epochs: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  return {
    engines: list(values.engines, ALL_ENGINES, '--engines'),
    models: list(values.models, BENCH_MODELS, '--models'),
    samples: samplesPerModel(values.samples, values['cnn-samples'], values.batches),
    warmupBatches: positiveInt(values.warmup, 3, '--warmup', 0),
    threads: positiveInt(values.threads, availableParallelism(), '--threads'),
    python: values.python,
    noPython: values['no-python'] ?? false,
    cpuCnn: values['cpu-cnn'] ?? false,
    json: values.json ?? false,
    memory: values.memory ?? false,
    epochs: positiveInt(values.epochs, 3, '--epochs'),
  };
}
