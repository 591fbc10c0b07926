import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { ExperimentConfig } from './experimentConfig.generated';
import { EXPERIMENT_SCHEMA, resolveRef, type SchemaNode } from './schema';
import type { ConfigProblem } from './configError';
import { didYouMean } from './didYouMean';
import { nestingProblem } from './nestingDepth';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // useDefaults fills every omitted field, so the rest of the code reads one fully resolved config.
  // The discriminator keyword makes Ajv report errors only for the chosen noise step or model type.
  compiled ??= new Ajv({
    allErrors: true,
    useDefaults: true,
    discriminator: true,
    verbose: true,
    strict: true,
    strictRequired: false,
  }).compile(EXPERIMENT_SCHEMA);
  return compiled;
}

export type ValidationResult =
  { readonly ok: true; readonly config: ExperimentConfig } | { readonly ok: false; readonly problems: ConfigProblem[] };

/**
 * Checks a parsed config against the schema and the few rules a schema cannot say, filling defaults.
 * Never throws for any JSON value: every mistake becomes a problem naming its path, its value and what is allowed.
 */
export function validateConfig(raw: unknown): ValidationResult {
  const tooDeep = nestingProblem(raw);
  if (tooDeep) return { ok: false, problems: [tooDeep] };
  const data = structuredClone(raw);
  const validate = validator();
  if (!validate(data)) {
    return { ok: false, problems: dedupe((validate.errors ?? []).map((e) => describeError(e, raw))) };
  }
  const config = data as ExperimentConfig;
  const semantic = semanticProblems(config);
  return semantic.length ? { ok: false, problems: semantic } : { ok: true, config };
}

/** Rules that need more than one field or are awkward to state in JSON Schema. */
function semanticProblems(config: ExperimentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { dataset, model } = config;
  if (dataset.source === 'idx' && !dataset.trainImages) {
    problems.push({ path: 'dataset.trainImages', message: "is required when dataset.source is 'idx'" });
  }
  if (dataset.source === 'pngFolder' && !dataset.folder) {
    problems.push({ path: 'dataset.folder', message: "is required when dataset.source is 'pngFolder'" });
  }
  problems.push(...imageFolderProblems(config));
  problems.push(...selfSupervisedProblems(config));
  if (model.type === 'dense' && !model.hiddenSizes && model.depth % 2 === 0) {
    problems.push({
      path: 'model.depth',
      message: `${model.depth} is even; it must be odd (input, encoder, code, decoder, output), e.g. 5, 7 or 9 as in the seed report`,
    });
  }
  return problems;
}

/** Models that run on whole images of any size, and so train on patches of an image folder. */
export function isFullyConvolutional(model: ExperimentConfig['model']): boolean {
  return model.type === 'conv' || model.type === 'dncnn' || model.type === 'unet';
}

/** What an imageFolder dataset needs of the model and the patches. */
function imageFolderProblems(config: ExperimentConfig): ConfigProblem[] {
  const { dataset, model, training } = config;
  const problems: ConfigProblem[] = [];
  const folderOnly = (['trainFolder', 'valFolder', 'testFolder'] as const).filter((f) => dataset[f] !== undefined);
  if (dataset.source !== 'imageFolder') {
    for (const field of folderOnly) {
      problems.push({
        path: `dataset.${field}`,
        message: `is only read when dataset.source is 'imageFolder' (it is '${dataset.source}')`,
      });
    }
    return problems;
  }
  if (!dataset.trainFolder)
    problems.push({ path: 'dataset.trainFolder', message: "is required when dataset.source is 'imageFolder'" });
  if (!isFullyConvolutional(model) && dataset.channels === 3) {
    problems.push({
      path: 'dataset.channels',
      message: `3 (colour) needs a fully convolutional model (conv, dncnn or unet); a ${model.type} model takes gray images of dataset.imageSize`,
    });
  }
  const factor = model.type === 'unet' ? 2 ** model.levels : model.type === 'conv' ? 2 ** model.filters.length : 1;
  if (isFullyConvolutional(model) && training.patchSize % factor !== 0) {
    problems.push({
      path: 'training.patchSize',
      message: `${training.patchSize} is not divisible by ${factor}, which the ${model.type} model's down-sampling stages need; use e.g. ${Math.ceil(training.patchSize / factor) * factor}`,
    });
  }
  return problems;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "/training/learningRate" -> "training.learningRate", "/noise/steps/0" -> "noise.steps[0]". */
function toDottedPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function valueAt(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const seg of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'an integer';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The allowed values of a discriminated oneOf (noise step types, model types). */
function discriminatorValues(schema: SchemaNode): string[] {
  return (schema.oneOf ?? []).map((branch) => String(resolveRef(branch).properties?.type?.const));
}

function join(path: string, child: string): string {
  return path ? `${path}.${child}` : child;
}

function describeError(error: ErrorObject, root: unknown): ConfigProblem {
  const path = toDottedPath(error.instancePath);
  const value = valueAt(root, error.instancePath);
  const params = error.params as Record<string, unknown>;
  const schema = error.parentSchema as SchemaNode | undefined;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = Object.keys(schema?.properties ?? {});
      const guess = didYouMean(field, known);
      const hint = guess ? `did you mean "${guess}"?` : `known fields: ${known.join(', ')}`;
      return { path: join(path, field), message: `unknown field; ${hint}` };
    }
    case 'required':
      return { path: join(path, String(params.missingProperty)), message: 'is required but missing' };
    case 'type':
      return {
        path,
        message: `${show(value)} is ${typeName(value)}; expected ${String(params.type)
          .split(',')
          .map((t) => (t === 'integer' || t === 'object' || t === 'array' ? `an ${t}` : `a ${t}`))
          .join(' or ')}`,
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const guess = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
      return {
        path,
        message: `${show(value)} is not allowed; use one of ${allowed.map((a) => `"${a}"`).join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`,
      };
    }
    case 'discriminator': {
      const allowed = schema ? discriminatorValues(schema) : [];
      const tag = String(params.tag);
      const tagValue = valueAt(root, `${error.instancePath}/${tag}`);
      if (tagValue === undefined)
        return { path: join(path, tag), message: `is required; one of ${allowed.join(', ')}` };
      const guess = typeof tagValue === 'string' ? didYouMean(tagValue, allowed) : undefined;
      return {
        path: join(path, tag),
        message: `${show(tagValue)} is not allowed; use one of ${allowed.map((a) => `"${a}"`).join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`,
      };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const range = describeRange(schema);
      return { path, message: `${show(value)} is out of range; allowed: ${range}` };
    }
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
      return { path, message: `${show(value)} ${error.message ?? 'has the wrong size'}` };
    case 'pattern':
      return {
        path,
        message: `${show(value)} has characters that are not allowed; ${schema?.description ?? error.message}`,
      };
    case 'const':
      return { path, message: `${show(value)} is not allowed; expected ${show(params.allowedValue)}` };
    default:
      return { path, message: `${show(value)} ${error.message ?? 'is not valid'}` };
  }
}

/** "a number > 0 and <= 100", from the schema's bounds. */
function describeRange(schema: SchemaNode | undefined): string {
  if (!schema) return 'see the schema';
  const kind = schema.type === 'integer' ? 'an integer' : 'a number';
  const parts: string[] = [];
  if (typeof schema.minimum === 'number') parts.push(`>= ${schema.minimum}`);
  if (typeof schema.exclusiveMinimum === 'number') parts.push(`> ${schema.exclusiveMinimum}`);
  if (typeof schema.maximum === 'number') parts.push(`<= ${schema.maximum}`);
  if (typeof schema.exclusiveMaximum === 'number') parts.push(`< ${schema.exclusiveMaximum}`);
  return `${kind} ${parts.join(' and ')}`;
}

/** Whether a target trains without clean images (Noise2Noise, Noise2Void). */
export function isSelfSupervised(target: ExperimentConfig['training']['target']): boolean {
  return target === 'noise2noise' || target === 'noise2void';
}

/** The self-supervised targets sample noisy patches, so they need patch training and noisy inputs. */
function selfSupervisedProblems(config: ExperimentConfig): ConfigProblem[] {
  const { dataset, model, training, noise } = config;
  const { target } = training;
  if (!isSelfSupervised(target)) return [];
  const problems: ConfigProblem[] = [];
  if (dataset.source !== 'imageFolder' || !isFullyConvolutional(model)) {
    problems.push({
      path: 'training.target',
      message: `'${target}' trains on patches: it needs dataset.source 'imageFolder' and a conv, dncnn or unet model`,
    });
  }
  if (training.input !== 'noisy') {
    problems.push({ path: 'training.input', message: `must be 'noisy' with target '${target}'` });
  }
  if (target === 'noise2noise' && noise.steps.length === 0) {
    problems.push({
      path: 'noise.steps',
      message:
        "is empty: target 'noise2noise' needs synthetic noise to draw two independent copies from; " +
        "for images that are noisy already use target 'noise2void'",
    });
  }
  return problems;
}

/**
 * Whether the dataset's images are clean references the metrics can be measured against: not so for target
 * noise2void without noise steps, where the images are themselves the noisy data.
 */
export function hasCleanReference(config: Pick<ExperimentConfig, 'training' | 'noise'>): boolean {
  return !(config.training.target === 'noise2void' && config.noise.steps.length === 0);
}
