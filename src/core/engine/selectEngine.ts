import * as tf from '@tensorflow/tfjs';

export type EngineChoice = 'auto' | 'tensorflow' | 'wasm-blas' | 'wasm' | 'cpu';
export type EngineName = Exclude<EngineChoice, 'auto'>;

/** What trains the model, recorded in every run's summary and printed by the CLI at start. */
export interface EngineInfo {
  readonly name: EngineName;
  /** The TensorFlow.js backend underneath ('tensorflow', 'wasm' or 'cpu'). */
  readonly backend: string;
  readonly threads: number;
  /** Why a faster engine was not used, when 'auto' fell back. */
  readonly notes: readonly string[];
}

let current: EngineInfo | undefined;

/**
 * Picks and initialises the compute engine once per process. Minimal version: wasm, else cpu.
 * (The BLAS-backed and tfjs-node engines are added by the engine work of issue 3.)
 */
export async function initEngine(choice: EngineChoice = 'auto', threads = 0): Promise<EngineInfo> {
  if (current && (choice === 'auto' || choice === current.name)) return current;
  const notes: string[] = [];
  const order: EngineName[] = choice === 'auto' ? ['wasm', 'cpu'] : [choice];
  for (const name of order) {
    try {
      if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
      if (name !== 'wasm' && name !== 'cpu') throw new Error(`engine ${name} is not available in this build`);
      if (!(await tf.setBackend(name))) throw new Error(`backend ${name} did not initialise`);
      await tf.ready();
      current = { name, backend: tf.getBackend(), threads: threads || 1, notes };
      return current;
    } catch (err) {
      notes.push(`${name}: ${(err as Error).message}`);
      if (choice !== 'auto') throw new Error(`Engine '${name}' could not start: ${(err as Error).message}`);
    }
  }
  throw new Error(`No compute engine could start:\n${notes.join('\n')}`);
}

export function currentEngine(): EngineInfo | undefined {
  return current;
}
