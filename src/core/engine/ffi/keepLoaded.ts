import type { Koffi } from './loadFirstLibrary';

/** dlopen's flags (glibc): resolve now, and never unmap the library, whatever closes it later. */
const RTLD_NOW = 0x2;
const RTLD_NODELETE = 0x1000;

/**
 * Marks loaded native libraries as never unloaded (Linux only; elsewhere nothing happens). oneDNN runs on GNU
 * OpenMP, whose worker threads outlive the call that started them; when node exits, koffi closes the libraries
 * while those threads may still be in their code, and the process ended in a segmentation fault (exit 139,
 * after all its output) whenever an inference plan had run on two threads. A library that stays mapped until
 * the process is gone cannot be pulled from under its threads.
 */
export function keepLoaded(koffi: Koffi, names: readonly string[]): void {
  if (process.platform !== 'linux') return;
  let dlopen: (file: string, mode: number) => unknown;
  try {
    dlopen = koffi.load('libc.so.6').func('void *dlopen(const char *file, int mode)') as typeof dlopen;
  } catch {
    return; // Not glibc (musl has no RTLD_NODELETE to ask for): nothing to pin.
  }
  for (const name of names) dlopen(name, RTLD_NOW | RTLD_NODELETE);
}
