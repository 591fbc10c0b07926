import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * The files under `folder` (any depth) that `accept` takes, as paths relative to it with '/', sorted by plain
 * code-unit order rather than localeCompare (which depends on the machine's locale), so the order, and hence
 * a seeded split, is the same on every machine. Names starting with "." are skipped: hidden folders (.git)
 * or macOS "._x.png" metadata files, not images. `accept` may throw to refuse a file.
 */
export async function listFolderFiles(folder: string, accept: (relative: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await fs.readdir(path.join(folder, relative), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() && accept(child)) found.push(child);
    }
  };
  await walk('');
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
