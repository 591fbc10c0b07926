import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors/inputError';
import { shippedAsset } from '../files/shippedAsset';
import { RUN_FILES } from '../runs/runFiles';

/**
 * The denoisers that ship with Denoise Lab (trained by scripts/train-builtin-models.ts), each a run folder
 * (config.json, summary.json, model/) so everything that takes a run takes them too.
 */
export const BUILTIN_MODEL_DIRS = {
  gray: join('models', 'builtin-gray'),
  colour: join('models', 'builtin-colour'),
} as const;

export type BuiltinModelName = keyof typeof BUILTIN_MODEL_DIRS;

const PREFIX = 'builtin:';
/** American spelling accepted too: `builtin:color`. */
const ALIASES: Readonly<Record<string, BuiltinModelName>> = {
  gray: 'gray',
  grey: 'gray',
  colour: 'colour',
  color: 'colour',
};

const LABELS: Readonly<Record<BuiltinModelName, string>> = {
  gray: 'Built-in gray denoiser',
  colour: 'Built-in colour denoiser',
};

export interface BuiltinModel {
  readonly name: BuiltinModelName;
  /** What a user types: builtin:gray. */
  readonly ref: string;
  /** What a picker shows. */
  readonly label: string;
  readonly dir: string;
}

/**
 * The built-in models present in this install (a source checkout without trained weights has none): under
 * `packageRoot` when given (the extension knows its folder), else found from this module's own location.
 */
export function listBuiltinModels(packageRoot?: string): BuiltinModel[] {
  const marker = join(RUN_FILES.model, 'model.json');
  return (Object.keys(BUILTIN_MODEL_DIRS) as BuiltinModelName[]).flatMap((name) => {
    const relative = BUILTIN_MODEL_DIRS[name];
    const dir = packageRoot
      ? existsSync(join(packageRoot, relative, marker))
        ? join(packageRoot, relative)
        : undefined
      : shippedAsset(relative, marker);
    return dir ? [{ name, ref: `${PREFIX}${name}`, label: LABELS[name], dir }] : [];
  });
}

export function isBuiltinRef(ref: string): boolean {
  return ref.startsWith(PREFIX);
}

/** A run folder or `builtin:NAME` as the folder to load the model from. */
export function resolveModelRef(ref: string): string {
  if (!isBuiltinRef(ref)) return ref;
  const name = ALIASES[ref.slice(PREFIX.length).toLowerCase()];
  const known = Object.keys(BUILTIN_MODEL_DIRS)
    .map((n) => `${PREFIX}${n}`)
    .join(', ');
  if (!name) throw new InputError(`${ref} is not a built-in model; the built-in models are ${known}`);
  const found = listBuiltinModels().find((model) => model.name === name);
  if (!found) {
    throw new InputError(
      `${ref}: ${BUILTIN_MODEL_DIRS[name]}/ is missing from this install: reinstall Denoise Lab, or train it with ` +
        `scripts/train-builtin-models.ts ${name}`,
    );
  }
  return found.dir;
}
