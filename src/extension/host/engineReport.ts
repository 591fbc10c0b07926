import type { EngineInfo } from '../../core/engine/selectEngine';
import { engineLabel } from '../../app/engineLabel';

/** The engines that train 30-40x slower than wasm-blas (BENCHMARKS.md): the user is told why and what to do. */
const SLOW = new Set(['wasm', 'cpu']);

/** How to get the fast engine on the platform the extension runs on. */
export function fastEngineAdvice(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin')
    return 'macOS ships Accelerate, which wasm-blas uses: check that denoiseLab.engine is not "wasm" and DENOISE_BLAS_LIB is unset.';
  if (platform === 'win32')
    return "put an OpenBLAS libopenblas.dll (from OpenBLAS's releases) on the PATH, or set DENOISE_BLAS_LIB to its path, and restart VS Code.";
  return (
    'install OpenBLAS (Debian/Ubuntu: sudo apt-get install libopenblas0-pthread), or without root: apt-get download ' +
    'libopenblas0-pthread libgfortran5 libquadmath0, then dpkg-deb -x each .deb into ~/.local/share/denoise-lab/openblas.'
  );
}

export interface EngineReport {
  /** For the output channel. */
  readonly log: string;
  /** For the status bar: the engine's name, with a warning sign when it is slow. */
  readonly badge: string;
  /** Why it is slow and how to get the fast engine; undefined on a fast engine. */
  readonly advice?: string;
}

/** What the extension says about the engine a run trains on. */
export function engineReport(engine: EngineInfo, platform: NodeJS.Platform = process.platform): EngineReport {
  const line = `Engine: ${engineLabel(engine)}${engine.blasLibrary ? `, BLAS ${engine.blasLibrary}` : ''}`;
  if (!SLOW.has(engine.name))
    return { log: engine.notes.length ? `${line}; ${engine.notes.join('; ')}` : line, badge: engine.name };
  const why = engine.notes.length
    ? engine.notes.join('; ')
    : `the engine was chosen (${engine.name}), by the experiment or denoiseLab.engine`;
  const advice = `${engine.name} trains 30-40x slower than wasm-blas. Why: ${why}. To get the fast engine: ${fastEngineAdvice(platform)}`;
  return { log: `${line}. ${advice}`, badge: `$(warning) ${engine.name}`, advice };
}
