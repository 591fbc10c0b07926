/**
 * Fuzzing the config path: every example and template is mutated thousands of times (wrong types, values
 * out of range, missing and unknown fields, deep nesting, huge numbers, NaN-like strings, damaged JSON
 * text) with a seeded generator, so a failure reproduces. The validator must answer every input with a
 * verdict and never throw; invalid configs must never start training.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../src/core/config/configError';
import { loadConfig, parseJsonText, resolveConfig } from '../src/core/config/loadConfig';
import { validateConfig } from '../src/core/config/validateConfig';
import { EXPERIMENT_SCHEMA, resolveRef, type SchemaNode } from '../src/core/config/schema';
import { SeededRandom } from '../src/core/random/seededRandom';
import { RunService } from '../src/extension/host/runService';

const root = join(__dirname, '..');
const seeds = ['examples', 'templates'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.denoise.json'))
    .map((f) => ({ file: `${dir}/${f}`, text: readFileSync(join(root, dir, f), 'utf8') })),
);
// 10,000 in all (issue 24): 14 s on the 2-core development machine (2026-12-03, other jobs running).
const OBJECT_CASES = 6000;
const TEXT_CASES = 4000;

const rng = new SeededRandom(20261125);
const pick = <T>(items: readonly T[]): T => items[rng.nextInt(items.length)];

/** Values a careless or hostile file might hold where something else is expected. */
const ODD_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  -0.0001,
  1e308,
  -1e308,
  2 ** 53 + 1,
  4294967297,
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '',
  ' ',
  '0',
  '\u0000',
  '\u202e',
  'x'.repeat(100_000),
  [],
  [[[]]],
  {},
  { type: 'dense' },
  '__proto__',
  'constructor',
];
const ODD_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'learningrate',
  'Epochs',
  '',
  ' ',
  'typ',
  '$ref',
  'x'.repeat(1000),
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Every field the schema declares, as a dotted path with "0" for an array's items, and its schema node: the
 * fields no example or template holds yet (newer settings) are mutated too, by setting them.
 */
function schemaFields(): { path: string[]; node: SchemaNode }[] {
  const found = new Map<string, { path: string[]; node: SchemaNode }>();
  const walk = (raw: SchemaNode, path: string[], depth: number) => {
    const node = resolveRef(raw);
    if (depth > 8) return;
    for (const branch of (node.oneOf ?? []) as SchemaNode[]) walk(branch, path, depth + 1);
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const childPath = [...path, key];
      found.set(childPath.join('.'), { path: childPath, node: resolveRef(child) });
      walk(child, childPath, depth + 1);
    }
    if (node.items && typeof node.items === 'object') walk(node.items as SchemaNode, [...path, '0'], depth + 1);
  };
  walk(EXPERIMENT_SCHEMA, [], 0);
  return [...found.values()];
}
const SCHEMA_FIELDS = schemaFields();
const fieldsSet = new Set<string>();

/** Sets a schema field in `doc`, making the containers on its way: an allowed value, the default, or an odd one. */
function setSchemaField(doc: Record<string, Json>): string {
  const { path, node } = pick(SCHEMA_FIELDS);
  let container: Record<string, Json> | Json[] = doc;
  for (const key of path.slice(0, -1)) {
    const next: Json = (container as Record<string, Json>)[key];
    const wantArray = path[path.indexOf(key) + 1] === '0';
    (container as Record<string, Json>)[key] =
      next !== null && typeof next === 'object' && Array.isArray(next) === wantArray ? next : wantArray ? [] : {};
    container = (container as Record<string, Json>)[key] as Record<string, Json> | Json[];
  }
  const allowed = [
    ...((node.enum as Json[] | undefined) ?? []),
    ...(node.default !== undefined ? [node.default as Json] : []),
  ];
  (container as Record<string, Json>)[path[path.length - 1]] =
    allowed.length && rng.next() < 0.5 ? pick(allowed) : (pick(ODD_VALUES) as Json);
  fieldsSet.add(path.join('.'));
  return 'schema field set';
}

/** Every container and leaf of a document, with the container and key holding it. */
function slots(doc: Json): { parent: Json[] | Record<string, Json>; key: string | number }[] {
  const found: { parent: Json[] | Record<string, Json>; key: string | number }[] = [];
  const stack: Json[] = [doc];
  while (stack.length) {
    const node = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    for (const key of Array.isArray(node) ? node.keys() : Object.keys(node)) {
      found.push({ parent: node, key });
      stack.push((node as Record<string | number, Json>)[key]);
    }
  }
  return found;
}

function nest(value: Json, depth: number, asArray: boolean): Json {
  let node = value;
  for (let i = 0; i < depth; i++) node = asArray ? [node] : { a: node };
  return node;
}

/** One structural mutation of a parsed config; returns its kind for the tally. */
function mutateObject(doc: Record<string, Json>): string {
  const all = slots(doc);
  const slot = pick(all);
  const target = slot.parent as Record<string | number, Json>;
  const value = target[slot.key];
  switch (rng.nextInt(8)) {
    case 7:
      return setSchemaField(doc);
    case 0:
      target[slot.key] = pick(ODD_VALUES) as Json;
      return 'wrong type or odd value';
    case 1:
      if (Array.isArray(slot.parent)) slot.parent.splice(Number(slot.key), 1);
      else delete target[slot.key];
      return 'missing field';
    case 2: {
      const container = pick(all.map((s) => s.parent).filter((p) => !Array.isArray(p))) ?? doc;
      Object.defineProperty(container, pick(ODD_KEYS), {
        value: pick(ODD_VALUES),
        enumerable: true,
        configurable: true,
        writable: true,
      });
      return 'unknown field';
    }
    case 3:
      // Up to 1,500 levels: deeper still is covered by the text cases (100,000 brackets), and the test's
      // own JSON.stringify of the sample would overflow.
      target[slot.key] = nest(value, 1 + rng.nextInt(rng.next() < 0.5 ? 10 : 1500), rng.next() < 0.5);
      return 'deep nesting';
    case 4:
      target[slot.key] =
        typeof value === 'number'
          ? value * pick([1e6, -1, 1e-9, 1e300, -1e300])
          : pick([1e300, -1e300, 2 ** 31, -(2 ** 31)]);
      return 'out of range';
    case 5:
      target[slot.key] =
        typeof value === 'number' ? String(value) : typeof value === 'string' ? Number(value.length) : String(value);
      return 'number as string and back';
    default:
      target[slot.key] = Array.isArray(value) ? Object.fromEntries(value.map((v, i) => [String(i), v])) : [value];
      return 'array and object swapped';
  }
}

/** One textual mutation: JSON that may no longer parse. */
function mutateText(text: string): string {
  const at = rng.nextInt(text.length);
  switch (rng.nextInt(8)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + rng.nextInt(5));
    case 1:
      return (
        text.slice(0, at) +
        pick(['{', '}', '[', ']', ',', ':', '"', '\\', '\n', '/*', '//', '\u0000', "'"]) +
        text.slice(at)
      );
    case 2:
      return text.slice(0, at);
    case 3:
      return text.replace(
        /-?\d+(\.\d+)?(e-?\d+)?/,
        pick(['NaN', 'Infinity', '-Infinity', '1e999', '0x10', '01', '.5', '1.', '+1', 'undefined']),
      );
    case 4:
      return `\ufeff${text}`;
    case 5:
      return text.slice(0, at) + text.slice(at, at + 1 + rng.nextInt(40)).repeat(2 + rng.nextInt(3)) + text.slice(at);
    case 6:
      return text.replace(/,(\s*[}\]])/, ',,$1').replace(/}\s*$/, '},');
    default:
      return `[${'['.repeat(rng.nextInt(100_000))}`;
  }
}

/** The validator's verdict on one input; anything thrown is a bug, reported with the input. */
function verdict(raw: unknown, label: string): boolean {
  let result: ReturnType<typeof validateConfig>;
  try {
    result = validateConfig(raw);
  } catch (err) {
    assert.fail(`validateConfig threw on ${label}: ${(err as Error).stack}`);
  }
  if (!result.ok) {
    assert.ok(result.problems.length > 0, `${label}: refused without a problem`);
    for (const p of result.problems)
      assert.ok(typeof p.path === 'string' && typeof p.message === 'string' && p.message.length > 0, label);
  }
  return result.ok;
}

const invalidSamples: string[] = [];

test(`${OBJECT_CASES} structural mutations of the examples and templates each get a verdict, never an exception`, (t) => {
  assert.ok(seeds.length >= 5, 'the examples and templates were found');
  const tally = new Map<string, { valid: number; invalid: number }>();
  let invalid = 0;
  for (let i = 0; i < OBJECT_CASES; i++) {
    const seed = pick(seeds);
    const doc = JSON.parse(seed.text) as Record<string, Json>;
    const kinds: string[] = [];
    for (let m = 1 + rng.nextInt(3); m > 0; m--) kinds.push(mutateObject(doc));
    const ok = verdict(doc, `case ${i} (${seed.file}: ${kinds.join(', ')})`);
    if (!ok) invalid++;
    for (const kind of kinds) {
      const entry = tally.get(kind) ?? { valid: 0, invalid: 0 };
      entry[ok ? 'valid' : 'invalid']++;
      tally.set(kind, entry);
    }
    if (!ok && i % 10 === 0) {
      // Also through the override path the CLI and the extension use.
      const withSet = resolveConfig(doc, ['training.epochs=1']);
      assert.ok(
        withSet.problems.length > 0 || withSet.config,
        `case ${i}: resolveConfig gave neither config nor problems`,
      );
      if (invalidSamples.length < 200) invalidSamples.push(JSON.stringify(doc));
    }
  }
  t.diagnostic(
    `structural mutations: ${OBJECT_CASES}; refused ${invalid}; cases with each kind (valid/invalid): ${[...tally].map(([k, e]) => `${k} ${e.valid}/${e.invalid}`).join('; ')}`,
  );
  assert.ok(invalid > OBJECT_CASES / 2, 'most mutations break the config (the fuzzer is not toothless)');
  const unset = SCHEMA_FIELDS.map((f) => f.path.join('.')).filter((p) => !fieldsSet.has(p));
  t.diagnostic(`schema fields: ${SCHEMA_FIELDS.length}, each set by a mutation except ${unset.length}`);
  assert.ok(SCHEMA_FIELDS.length > 100, `the schema walk found only ${SCHEMA_FIELDS.length} fields`);
  assert.deepEqual(unset, [], 'schema fields no mutation reached');
});

test(`${TEXT_CASES} damaged JSON texts are parsed or refused with a position, never an exception other than ConfigError`, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'denoise-fuzz-'));
  let unparsable = 0;
  let withPosition = 0;
  for (let i = 0; i < TEXT_CASES; i++) {
    const seed = pick(seeds);
    const text = mutateText(seed.text);
    let parsed: ReturnType<typeof parseJsonText>;
    try {
      parsed = parseJsonText(text);
    } catch (err) {
      assert.fail(`parseJsonText threw on case ${i} (${seed.file}): ${(err as Error).message}`);
    }
    if (!parsed.ok) {
      unparsable++;
      if (parsed.problem.line !== undefined) withPosition++;
      assert.match(parsed.problem.message, /^invalid JSON/);
      assert.ok(
        parsed.problem.message.length < 200,
        `a short message, not the file quoted back: ${parsed.problem.message.slice(0, 300)}`,
      );
    } else verdict(parsed.value, `text case ${i}`);
    if (i % 10 === 0) {
      // The whole file path as the CLI and the trainer take it: only ConfigError may come out.
      const file = join(dir, `case-${i}.denoise.json`);
      writeFileSync(file, text);
      try {
        loadConfig(file);
      } catch (err) {
        assert.ok(
          err instanceof ConfigError,
          `loadConfig threw ${(err as Error).name} on text case ${i}: ${(err as Error).message}`,
        );
      }
      if (!parsed.ok && invalidSamples.length < 400) invalidSamples.push(text);
    }
  }
  t.diagnostic(
    `damaged texts: ${TEXT_CASES}; unparsable ${unparsable} (${withPosition} with line and column), parsable ${TEXT_CASES - unparsable}`,
  );
  assert.ok(unparsable > TEXT_CASES / 3);
});

test('invalid fuzzed configs never start training: the extension refuses before forking, the CLI exits 2 and makes no run folder', (t) => {
  assert.ok(invalidSamples.length > 100, `${invalidSamples.length} invalid samples collected`);
  const dir = mkdtempSync(join(tmpdir(), 'denoise-fuzz-run-'));
  // A trainer path that does not exist: forking it would surface as a started or crashed run.
  const service = new RunService({ trainerPath: join(dir, 'no-trainer.js'), maxParallel: 4, isTrusted: () => true });
  invalidSamples.forEach((text, i) => {
    const file = join(dir, `invalid-${i}.denoise.json`);
    writeFileSync(file, text);
    const submitted = service.submit({ configFile: file, overrides: [] });
    assert.equal(submitted.ok, false, `sample ${i} was accepted:\n${text.slice(0, 500)}`);
    if (!submitted.ok) assert.equal(submitted.reason, 'invalidConfig');
  });
  assert.deepEqual(service.runs, [], 'no run was queued or started');

  const runsDir = join(dir, 'runs');
  for (const i of [0, 1, Math.floor(invalidSamples.length / 2), invalidSamples.length - 1]) {
    const cli = spawnSync(
      process.execPath,
      [join(root, 'bin', 'denoise'), 'run', join(dir, `invalid-${i}.denoise.json`), '--runs-dir', runsDir],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(cli.status, 2, cli.stderr);
    assert.match(cli.stderr, /is not a valid experiment \(\d+ problems?\)/);
  }
  assert.equal(existsSync(runsDir), false, 'no run folder was made');
  t.diagnostic(`invalid configs submitted to the run service: ${invalidSamples.length}; to the CLI: 4`);
});
