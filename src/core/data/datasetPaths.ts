import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Dataset } from '../config/experimentConfig.generated';
import { DatasetError } from './datasetError';

type PathField =
  'trainImages' | 'trainLabels' | 'testImages' | 'testLabels' | 'folder' | 'trainFolder' | 'valFolder' | 'testFolder';

/**
 * The absolute path a `dataset` field names (relative paths are taken from baseDir, the experiment file's
 * folder), checked to exist and to be a file or folder as expected; undefined when the field is absent.
 * Checked here so the error names the field to fix, not just a path.
 */
export async function inputPath(
  dataset: Dataset,
  field: PathField,
  baseDir: string,
  kind: 'file' | 'folder',
): Promise<string | undefined> {
  const value = dataset[field];
  if (value === undefined) return undefined;
  const absolute = path.resolve(baseDir, value);
  const stat = await fs.stat(absolute).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new DatasetError(`dataset.${field}: no such ${kind}: ${absolute}`);
    throw new DatasetError(`dataset.${field}: cannot access ${absolute}: ${err.message}`);
  });
  if (kind === 'folder' ? !stat.isDirectory() : !stat.isFile()) {
    throw new DatasetError(`dataset.${field}: ${absolute} is not a ${kind}`);
  }
  return absolute;
}

/** Like inputPath, for a field the source cannot do without. */
export async function requiredInputPath(
  dataset: Dataset,
  field: PathField,
  baseDir: string,
  kind: 'file' | 'folder',
): Promise<string> {
  const absolute = await inputPath(dataset, field, baseDir, kind);
  if (absolute === undefined) {
    throw new DatasetError(`dataset.${field} is required when dataset.source is '${dataset.source}'`);
  }
  return absolute;
}
