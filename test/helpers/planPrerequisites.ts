import { before } from 'node:test';
import { initEngine } from '../../src/core/engine/selectEngine';
import { loadBlas } from '../../src/core/engine/blas/loadBlas';
import { loadOneDnn } from '../../src/core/engine/onednn/loadOneDnn';

/** Whether the system BLAS loads here (the plan's dense products and the wasm-blas engine need it). */
export const hasBlas = loadBlas(0).blas !== undefined;

/** The loaded oneDNN library, or undefined where it is missing (then the tests skip with planSkip). */
export const onednn = loadOneDnn().onednn;

/** A test's skip reason when the oneDNN plan cannot run here, or false: what CI installs is named. */
export const planSkip: string | false = !hasBlas
  ? 'no system BLAS here'
  : onednn
    ? false
    : `no oneDNN here (CI installs libdnnl2): ${loadOneDnn().problems.join('; ')}`;

/** The plan tests compare against TensorFlow.js on the wasm-blas engine; start it once per file. */
export function startBlasEngineBeforeTests(): void {
  before(async () => {
    if (hasBlas) await initEngine('wasm-blas');
  });
}
