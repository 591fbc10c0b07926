import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A file or folder that ships inside the package (models/…), found by walking up from this module: dist/
 * in the bundled CLI, trainer and extension, src/core/files/ when the sources run under tsx. `marker` is a
 * file that must exist inside it, so a half-copied folder is not taken for the real one.
 */
export function shippedAsset(relative: string, marker: string): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, relative);
    if (existsSync(join(candidate, marker))) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}
