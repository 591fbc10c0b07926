import { isAbsolute, resolve } from 'node:path';

export const ENGINE_SETTINGS = ['experiment', 'auto', 'tensorflow', 'wasm-blas', 'wasm', 'cpu'] as const;
export type EngineSetting = (typeof ENGINE_SETTINGS)[number];

/** The extension's settings (denoiseLab.*), after checking what the user wrote. */
export interface DenoiseSettings {
  /** Empty: each experiment's own output.runsDir. */
  readonly runsFolder: string;
  /** 'experiment': each experiment's compute.engine. */
  readonly engine: EngineSetting;
  /** 0: each experiment's compute.threads. */
  readonly blasThreads: number;
  readonly maxParallelRuns: number;
}

export const DEFAULT_SETTINGS: DenoiseSettings = {
  runsFolder: '',
  engine: 'experiment',
  blasThreads: 0,
  maxParallelRuns: 1,
};

function integer(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}

/** Settings as read from VS Code; a value of the wrong type or out of range falls back to its default. */
export function readSettings(get: (key: keyof DenoiseSettings) => unknown): DenoiseSettings {
  const engine = get('engine');
  const runsFolder = get('runsFolder');
  return {
    runsFolder: typeof runsFolder === 'string' ? runsFolder.trim() : DEFAULT_SETTINGS.runsFolder,
    engine: (ENGINE_SETTINGS as readonly unknown[]).includes(engine)
      ? (engine as EngineSetting)
      : DEFAULT_SETTINGS.engine,
    blasThreads: integer(get('blasThreads'), 0, 256, DEFAULT_SETTINGS.blasThreads),
    maxParallelRuns: integer(get('maxParallelRuns'), 1, 16, DEFAULT_SETTINGS.maxParallelRuns),
  };
}

/** The config overrides the settings imply, applied on top of every experiment the extension runs. */
export function settingsOverrides(settings: DenoiseSettings): string[] {
  const overrides: string[] = [];
  if (settings.engine !== 'experiment') overrides.push(`compute.engine=${settings.engine}`);
  if (settings.blasThreads > 0) overrides.push(`compute.threads=${settings.blasThreads}`);
  return overrides;
}

/**
 * The runs folder for an experiment: the setting resolved from the workspace folder, or undefined for the
 * experiment's own.
 */
export function settingsRunsDir(settings: DenoiseSettings, workspaceFolder: string | undefined): string | undefined {
  if (!settings.runsFolder) return undefined;
  if (isAbsolute(settings.runsFolder)) return settings.runsFolder;
  return workspaceFolder ? resolve(workspaceFolder, settings.runsFolder) : undefined;
}
