import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadFirstLibrary, type Koffi, type KoffiLibrary } from '../ffi/loadFirstLibrary';

/**
 * A user-level copy of Debian's OpenBLAS, for Linux machines where the system has none and the user cannot
 * install one: Debian's packages unpacked into a folder of the user's (docs/fast-without-root.md):
 *   apt-get download libopenblas0-pthread libgfortran5 libquadmath0
 *   for f in *.deb; do dpkg-deb -x "$f" ~/.local/share/denoise-lab/openblas; done
 * Its libraries are loaded by absolute path, the Fortran runtime first: the dynamic loader then finds
 * libopenblas's libgfortran.so.5 among the libraries already loaded, without LD_LIBRARY_PATH.
 */
export function userBlasRoot(): string {
  if (process.env.DENOISE_USER_BLAS_DIR) return process.env.DENOISE_USER_BLAS_DIR;
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'denoise-lab', 'openblas');
}

const TRIPLETS: Partial<Record<string, string>> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' };

/** The folder of the unpacked libraries for this machine, or undefined off Linux x64/arm64. */
function libDir(): string | undefined {
  const triplet = TRIPLETS[process.arch];
  return process.platform === 'linux' && triplet ? join(userBlasRoot(), 'usr', 'lib', triplet) : undefined;
}

/** The user copy's libopenblas.so.0, when it is there. */
export function userBlasPath(): string | undefined {
  const dir = libDir();
  const path = dir && join(dir, 'openblas-pthread', 'libopenblas.so.0');
  return path && existsSync(path) ? path : undefined;
}

/** Loads the user copy (its Fortran runtime first) and binds it, or says why not. */
export function loadUserBlas<T>(bind: (koffi: Koffi, lib: KoffiLibrary, path: string) => T): {
  value?: T;
  problems: string[];
} {
  const path = userBlasPath();
  if (!path) return { problems: [] };
  const koffi: Koffi = require('koffi');
  const problems: string[] = [];
  // libquadmath exists on x86 only; a dependency the system has already is loaded from the copy anyway (same
  // Debian build), which is harmless.
  for (const dependency of ['libquadmath.so.0', 'libgfortran.so.5']) {
    const file = join(libDir()!, dependency);
    if (!existsSync(file)) continue;
    try {
      koffi.load(file);
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const loaded = loadFirstLibrary([path], bind, `${path} is missing`);
  return { value: loaded.value, problems: [...problems, ...loaded.problems] };
}
