import type { EngineInfo } from '../core/engine/selectEngine';

/** "wasm-blas (wasm, 2 threads)": what trains a run, as the terminal, the log and the page show it. */
export function engineLabel(engine: Pick<EngineInfo, 'name' | 'backend' | 'threads'>): string {
  return `${engine.name} (${engine.backend}, ${engine.threads} thread${engine.threads === 1 ? '' : 's'})`;
}

/** The engine line printed when a run starts, with why faster engines were skipped. */
export function engineLine(engine: Pick<EngineInfo, 'name' | 'backend' | 'threads' | 'notes'>): string {
  return `Engine: ${engineLabel(engine)}${engine.notes.length ? `; ${engine.notes.join('; ')}` : ''}`;
}
