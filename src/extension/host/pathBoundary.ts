import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { ConfigProblem } from '../../core/config/configError';
import type { ExperimentConfig } from '../../core/config/experimentConfig.generated';

/** The setting that lets runs started from the extension read or write outside the workspace folders. */
export const ALLOWED_PATHS_SETTING = 'denoiseLab.allowedPaths';

/** Where runs started from the extension may read data and write run folders. */
export interface PathPolicy {
  readonly workspaceFolders: readonly string[];
  /**
   * Extra folders from the denoiseLab.allowedPaths setting (user settings only, so a workspace cannot widen its own
   * boundary).
   */
  readonly allowedPaths: readonly string[];
}

/** Every path a run would read or write, by the config field (or setting) that names it. */
export function runPaths(
  config: ExperimentConfig,
  configFile: string,
  runsDirOverride: string | undefined,
): { field: string; path: string }[] {
  const baseDir = dirname(configFile);
  const paths: { field: string; path: string }[] = [];
  const { dataset } = config;
  const fields = [
    ...['trainImages', 'trainLabels', 'testImages', 'testLabels', 'folder'],
    // An image-folder experiment's folders (these were missed, so such a run could read any folder).
    ...['trainFolder', 'valFolder', 'testFolder'],
  ] as const;
  for (const field of fields) {
    const value = dataset[field];
    if (value !== undefined) paths.push({ field: `dataset.${field}`, path: resolve(baseDir, value) });
  }
  const runsDir = runsDirOverride ?? resolve(baseDir, config.output.runsDir);
  paths.push({ field: runsDirOverride ? 'the denoiseLab.runsFolder setting' : 'output.runsDir', path: runsDir });
  const startRun = config.training.startFrom?.run;
  if (startRun && !startRun.startsWith('latest:'))
    paths.push({ field: 'training.startFrom.run', path: resolve(baseDir, startRun) });
  return paths;
}

/**
 * The path with symbolic links resolved as far as it exists, so a link inside the workspace that points
 * outside it counts as outside. The part that does not exist yet (a runs folder to create) is kept as written.
 */
function realPath(path: string): string {
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    return resolve(realpathSync.native(existing), relative(existing, path));
  } catch {
    return path;
  }
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(realPath(folder), realPath(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** One problem per path outside both the workspace folders and the allowed paths; empty when all are inside. */
export function pathsOutsideWorkspace(
  paths: readonly { field: string; path: string }[],
  policy: PathPolicy,
): ConfigProblem[] {
  const roots = [...policy.workspaceFolders, ...policy.allowedPaths.filter((p) => isAbsolute(p))];
  return paths
    .filter(({ path }) => !roots.some((root) => isInside(path, root)))
    .map(({ field, path }) => ({
      path: field,
      message:
        `${path} is outside the workspace${policy.workspaceFolders.length ? '' : ' (no folder is open)'}; runs started from VS Code ` +
        `read and write only inside the workspace folders. To allow it, add its folder to the "${ALLOWED_PATHS_SETTING}" user setting`,
    }));
}

/**
 * The folders to add to the allowed paths so that these paths are inside them: a folder named as such
 * (a PNG folder, an existing runs folder) itself, a file's or a folder still to be made's parent.
 */
export function foldersToAllow(paths: readonly { path: string }[]): string[] {
  const folder = (path: string) => (existsSync(path) && statSync(path).isDirectory() ? path : dirname(path));
  return [...new Set(paths.map((p) => folder(p.path)))];
}
