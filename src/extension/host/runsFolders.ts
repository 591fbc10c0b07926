import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseJsonText, resolveConfig } from '../../core/config/loadConfig';

/**
 * Where an experiment's runs go: the runs folder from the settings when set, else its own output.runsDir
 * (default denoise-runs next to the file). A config that does not parse still gets the default, so its
 * earlier runs stay visible while the user fixes it.
 */
export function experimentRunsDir(configFile: string, settingsRunsDir: string | undefined): string {
  if (settingsRunsDir) return settingsRunsDir;
  let runsDir = 'denoise-runs';
  try {
    const parsed = parseJsonText(readFileSync(configFile, 'utf8'));
    if (parsed.ok) runsDir = resolveConfig(parsed.value).config?.output.runsDir ?? runsDir;
  } catch {
    // Unreadable file: keep the default folder.
  }
  return resolve(dirname(configFile), runsDir);
}
