// Derives the TypeScript types of an experiment config from the JSON Schema, so the schema stays the
// single source of truth. The types describe what loading returns, after defaults are filled in: a field
// with a default is required. What a user may write is the schema itself (validateConfig checks it).
// Run with --check to fail when the committed file is out of date (the test suite does this).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const schemaPath = `${root}schema/denoise-experiment.schema.json`;
const outPath = `${root}src/core/config/experimentConfig.generated.ts`;

/** Marks every property that has a default (directly or through its $ref) as required, recursively. */
function requireDefaults(node, definitions) {
  if (Array.isArray(node)) return node.map((n) => requireDefaults(n, definitions));
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = requireDefaults(v, definitions);
  if (out.properties) {
    const required = new Set(out.required ?? []);
    for (const [name, prop] of Object.entries(out.properties)) {
      const target = prop.$ref ? definitions[prop.$ref.split('/').pop()] : prop;
      if ('default' in prop || (target && 'default' in target)) required.add(name);
    }
    out.required = [...required];
  }
  return out;
}

const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const options = {
  bannerComment: '',
  additionalProperties: false,
  strictIndexSignatures: true,
  ignoreMinAndMaxItems: true,
  format: true,
};
const resolvedSchema = requireDefaults({ ...schema, title: 'ExperimentConfig' }, schema.definitions);
const resolved = await compile(resolvedSchema, 'ExperimentConfig', options);
const text = `// GENERATED from schema/denoise-experiment.schema.json by scripts/generate-config-types.mjs. Do not edit.\n\n${resolved}`;

if (process.argv.includes('--check')) {
  const current = readFileSync(outPath, 'utf8');
  if (current !== text) {
    console.error(`${outPath} is out of date: run node scripts/generate-config-types.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(outPath, text);
  console.log(`wrote ${outPath}`);
}
