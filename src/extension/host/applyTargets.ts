import { statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileChannels } from '../../core/apply/imageFileIo';
import { listImageFiles } from '../../core/data/imageFolderFiles';

/** The endings the explorer's Denoise Image… is offered on (package.json's menu `when` clause lists the same). */
export const IMAGE_ENDINGS = ['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp'] as const;

export function isImageFile(file: string): boolean {
  return (IMAGE_ENDINGS as readonly string[]).includes(extname(file).toLowerCase());
}

/**
 * Where the results go unless the user says otherwise: a `denoised` folder beside the input (beside the folder,
 * for a folder), never the input folder itself.
 */
export function defaultOutputFolder(input: string): string {
  const folder = join(dirname(input), 'denoised');
  return folder === input ? join(dirname(input), `${basename(input)}-denoised`) : folder;
}

const inside = (child: string, parent: string) => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** Why `out` cannot take the results of `inputs` (an input folder or a folder inside one), or undefined. */
export function outputFolderProblem(out: string, inputs: readonly string[]): string | undefined {
  if (!out.trim()) return 'Name a folder for the denoised images.';
  const folder = resolve(out);
  for (const input of inputs) {
    let isFolder = false;
    try {
      isFolder = statSync(input).isDirectory();
    } catch {
      continue;
    }
    if (isFolder && inside(folder, input))
      return `${folder} is inside the input folder ${input}: choose a folder outside it, so no input is overwritten.`;
    if (!isFolder && folder === dirname(input))
      return `${folder} holds the input ${basename(input)}: choose another folder, so the input is not overwritten.`;
  }
  return undefined;
}

/**
 * The channel counts of the images to denoise (1 gray, 3 colour), read from their headers, to refuse runs of
 * the wrong kind before any work. Empty when they cannot be read here (the trainer then checks each file).
 */
export async function inputChannels(inputs: readonly string[]): Promise<Set<1 | 3>> {
  const found = new Set<1 | 3>();
  try {
    for (const input of inputs) {
      const files = statSync(input).isDirectory() ? (await listImageFiles(input)).map((e) => e.file) : [input];
      for (const file of files) found.add((await fileChannels(file)) === 3 ? 3 : 1);
    }
  } catch {
    return new Set();
  }
  return found;
}
