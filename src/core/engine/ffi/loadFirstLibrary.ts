import { existsSync } from 'node:fs';

export type Koffi = typeof import('koffi');
export type KoffiLibrary = ReturnType<Koffi['load']>;

/**
 * The first of `candidates` that koffi loads and `bind` accepts, with the reason each earlier one failed.
 * koffi is an FFI that ships prebuilt binaries, so nothing is compiled at install; absolute paths that do not
 * exist are skipped quietly, and `bind` throws to reject a library (a missing symbol, a wrong version).
 * `notFound` is the one problem reported when no candidate was even there.
 */
export function loadFirstLibrary<T>(
  candidates: readonly string[],
  bind: (koffi: Koffi, lib: KoffiLibrary, path: string) => T,
  notFound: string,
): { value?: T; problems: string[] } {
  let koffi: Koffi;
  try {
    koffi = require('koffi');
  } catch (err) {
    return { problems: [`the koffi FFI did not load: ${(err as Error).message}`] };
  }
  const problems: string[] = [];
  for (const path of candidates) {
    if (path.startsWith('/') && !existsSync(path)) continue;
    try {
      return { value: bind(koffi, koffi.load(path), path), problems };
    } catch (err) {
      problems.push(`${path}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  if (problems.length === 0) problems.push(notFound);
  return { problems };
}
