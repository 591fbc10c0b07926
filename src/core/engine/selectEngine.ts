import * as tf from '@tensorflow/tfjs';
import { blasInstallHint, loadBlas, type BlasLibrary } from './blas/loadBlas';
import { registerBlasMatMul } from './blas/blasMatMulKernels';
import { registerBlasConv } from './blas/blasConvKernels';
import { registerWasmConv2DBackpropFilter } from './wasm/conv2dBackpropFilterKernel';
import { registerCopyFreeKernels } from './wasm/copyFreeKernels';

export type EngineChoice = 'auto' | 'tensorflow' | 'wasm-blas' | 'wasm' | 'cpu';
export type EngineName = Exclude<EngineChoice, 'auto'>;

/** What trains the model, recorded in every run's summary and printed by the CLI at start. */
export interface EngineInfo {
  readonly name: EngineName;
  /** The TensorFlow.js backend underneath ('tensorflow', 'wasm' or 'cpu'). */
  readonly backend: string;
  readonly threads: number;
  /** The system BLAS library, for wasm-blas. */
  readonly blasLibrary?: string;
  /** Why faster engines were skipped, when 'auto' fell back. */
  readonly notes: readonly string[];
}

let current: EngineInfo | undefined;
/** The BLAS under wasm-blas, for code that calls it directly (the dense SGD step). */
let currentBlas: BlasLibrary | undefined;

async function useBackend(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend did not initialise`);
  await tf.ready();
}

/** Starts one engine or throws a message that says what is missing. */
async function start(name: EngineName, threads: number): Promise<EngineInfo> {
  const notes: string[] = [];
  switch (name) {
    case 'tensorflow':
      try {
        require('@tensorflow/tfjs-node');
      } catch (err) {
        throw new Error(
          `@tensorflow/tfjs-node is not installed (npm install @tensorflow/tfjs-node): ${(err as Error).message.split('\n')[0]}`,
        );
      }
      await useBackend('tensorflow');
      return { name, backend: tf.getBackend(), threads: threads || 0, notes };
    case 'wasm-blas':
    case 'wasm': {
      await import('@tensorflow/tfjs-backend-wasm');
      registerWasmConv2DBackpropFilter();
      if (name === 'wasm') {
        registerCopyFreeKernels();
        await useBackend('wasm');
        return { name, backend: 'wasm', threads: 1, notes };
      }
      const { blas, problems } = loadBlas(threads);
      if (!blas) throw new Error(`no system BLAS could be loaded (${problems.join('; ')}); ${blasInstallHint()}`);
      await useBackend('wasm');
      registerBlasMatMul(blas);
      registerBlasConv(blas);
      registerCopyFreeKernels(blas);
      currentBlas = blas;
      return { name, backend: 'wasm', threads: blas.threads, blasLibrary: blas.path, notes };
    }
    case 'cpu':
      await useBackend('cpu');
      return { name, backend: 'cpu', threads: 1, notes };
  }
}

/**
 * Picks and starts the compute engine once per process. 'auto' takes the fastest that starts:
 * tfjs-node (an optional install), then wasm with the system BLAS, then plain wasm, then cpu.
 */
export async function initEngine(choice: EngineChoice = 'auto', threads = 0): Promise<EngineInfo> {
  if (current && (choice === 'auto' || choice === current.name)) return current;
  // Production mode drops TensorFlow.js's console banners (its "install tfjs-node" advice would contradict
  // the engine line Denoise Lab prints, which names the engine used and what was skipped).
  tf.enableProdMode();
  const order: EngineName[] = choice === 'auto' ? ['tensorflow', 'wasm-blas', 'wasm', 'cpu'] : [choice];
  const skipped: string[] = [];
  for (const name of order) {
    try {
      const info = await start(name, threads);
      current = { ...info, notes: skipped };
      return current;
    } catch (err) {
      if (choice !== 'auto') throw new Error(`Engine '${name}' could not start: ${(err as Error).message}`);
      skipped.push(`${name} skipped: ${(err as Error).message}`);
    }
  }
  throw new Error(`No compute engine could start:\n${skipped.join('\n')}`);
}

export function currentEngine(): EngineInfo | undefined {
  return current;
}

/** The system BLAS when the engine in use is wasm-blas. */
export function engineBlas(): BlasLibrary | undefined {
  return current?.name === 'wasm-blas' ? currentBlas : undefined;
}
