import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DatasetError } from './datasetError';

function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Where a symbolic link in a dataset folder leads, or a DatasetError naming it: a broken link, or one that
 * leaves the folder. Links out are refused rather than followed so that a folder inside a workspace cannot
 * make a run read files outside it (the workspace boundary checks only the folder's own path); and rather
 * than skipped, so that no image silently drops out of the data.
 */
async function linkedFile(realFolder: string, link: string): Promise<{ isFile: boolean }> {
  let target: string;
  try {
    target = await fs.realpath(link);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ELOOP' ? 'a loop of symbolic links' : `a broken symbolic link (${code ?? 'unreadable'})`;
    throw new DatasetError(`${link}: ${why}; remove it or point it at an image inside the folder`);
  }
  if (!isInside(target, realFolder)) {
    throw new DatasetError(
      `${link}: a symbolic link to ${target}, outside the dataset folder ${realFolder}; links that leave the ` +
        'folder are not followed: copy the image into the folder or point the dataset at its own folder',
    );
  }
  return { isFile: (await fs.stat(target)).isFile() };
}

/**
 * The files under `folder` (any depth) that `accept` takes, as paths relative to it with '/', sorted by plain
 * code-unit order rather than localeCompare (which depends on the machine's locale), so the order, and hence
 * a seeded split, is the same on every machine. Names starting with "." are skipped: hidden folders (.git)
 * or macOS "._x.png" metadata files, not images. `accept` may throw to refuse a file. A symbolic link to a
 * file inside the folder counts as that file; one to a folder inside is not walked (it would list images
 * twice, or loop); one leading out of the folder, or nowhere, is refused (linkedFile).
 */
export async function listFolderFiles(folder: string, accept: (relative: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  let realFolder: string | undefined;
  const walk = async (relative: string): Promise<void> => {
    const entries = await fs.readdir(path.join(folder, relative), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() && accept(child)) found.push(child);
      else if (entry.isSymbolicLink() && accept(child)) {
        // Only links named like a wanted file are resolved: a link to notes elsewhere is no image to refuse.
        realFolder ??= await fs.realpath(folder);
        if ((await linkedFile(realFolder, path.join(folder, child))).isFile) found.push(child);
      }
    }
  };
  await walk('');
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
