/**
 * The one ajv set-up the message validators are compiled with: at run time in Node (extension host, trainer,
 * tests) and into code at build time for the webview, whose content security policy forbids `eval`.
 * The keywords it adds generate code (rather than calling a function), so the build-time output
 * stands alone.
 */
import Ajv, { _, type Code, type CodeKeywordDefinition, type KeywordCxt, type Name, type ValidateFunction } from 'ajv';
import type { PixelFields } from './schemas/schemaParts';

/** Raw bytes: what JSON Schema cannot say, as structured cloning delivers typed arrays. */
const uint8Array: CodeKeywordDefinition = {
  keyword: 'uint8Array',
  schemaType: 'boolean',
  error: { message: 'must be a Uint8Array' },
  code(cxt: KeywordCxt) {
    cxt.fail(_`!(${cxt.data} instanceof Uint8Array)`);
  },
};

/**
 * A bound on a long string's length in UTF-16 units (`string.length`), for megabytes of base64 pixels: ajv's
 * maxLength counts code points one by one, 20 ms for each 4 MB chunk of a large image in the compare view.
 */
const maxUnits: CodeKeywordDefinition = {
  keyword: 'maxUnits',
  type: 'string',
  schemaType: 'number',
  error: { message: 'too long', params: ({ schemaCode }) => _`{limit: ${schemaCode}}` },
  code(cxt: KeywordCxt) {
    cxt.fail(_`${cxt.data}.length > ${cxt.schema}`);
  },
};

/**
 * Pixel fields hold exactly count × height × width bytes: the one rule of the protocol that relates fields.
 * Base64 text is measured without decoding it; a length that is not a multiple of 4 (unpadded) reads as null.
 * With allErrors it runs even when the object's fields are wrong, so it reads only fields of the right type.
 */
const pixelBytes: CodeKeywordDefinition = {
  keyword: 'pixelBytes',
  type: 'object',
  schemaType: 'object',
  error: {
    message: 'pixel fields must match count × height × width',
    params: ({ params }) => _`{field: ${params.field}, expected: ${params.expected}, actual: ${params.actual}}`,
  },
  code(cxt: KeywordCxt) {
    const { gen, data } = cxt;
    const spec = cxt.schema as PixelFields;
    // NaN when a dimension is missing or wrong, which that dimension's own error reports first.
    const expected = gen.const('expected', _`${data}.count * ${data}.height * ${data}.width`);
    const valid = gen.let('valid', true);
    const field = gen.let('field');
    const actual = gen.let('actual');
    const checkField = (holder: Code | Name, key: string, path: Code) => {
      const value = _`${holder}[${key}]`;
      const padding = _`(${value}.endsWith("==") ? 2 : ${value}.endsWith("=") ? 1 : 0)`;
      const length =
        spec.encoding === 'base64'
          ? _`(${value}.length % 4 !== 0 ? null : (${value}.length / 4) * 3 - ${padding})`
          : _`${value}.length`;
      const present = spec.encoding === 'base64' ? _`typeof ${value} == "string"` : _`${value} instanceof Uint8Array`;
      gen.if(_`${valid} && ${present} && ${length} !== ${expected}`, () => {
        gen.assign(valid, false).assign(field, path).assign(actual, length);
      });
    };
    const itemsOf = spec.inItemsOf;
    if (itemsOf === undefined) {
      for (const key of spec.fields) checkField(data, key, _`${key}`);
    } else {
      const items = gen.const('items', _`${data}[${itemsOf}]`);
      gen.if(_`Array.isArray(${items})`, () => {
        gen.forRange('i', 0, _`${items}.length`, (i) => {
          const item = gen.const('item', _`${items}[${i}]`);
          gen.if(_`${item} && typeof ${item} == "object"`, () => {
            for (const key of spec.fields) checkField(item, key, _`${itemsOf} + "[" + ${i} + "]." + ${key}`);
          });
          gen.if(_`!${valid}`, () => gen.break());
        });
      });
    }
    cxt.setParams({ field, expected, actual });
    cxt.pass(valid);
  },
};

/**
 * allErrors lets checkMessage.ts report the refusal of the first field in the order the schema declares
 * (ajv reports missing fields before wrong ones). strictNumbers refuses NaN and ±Infinity; removeAdditional
 * "all" drops fields a schema does not name (from a copy: see checkMessage.ts); verbose errors carry the
 * value and schema the refusal is worded from.
 */
export function createMessageAjv(
  options: { readonly parts?: readonly object[]; readonly forStandaloneCode?: boolean } = {},
): Ajv {
  return new Ajv({
    allErrors: true,
    discriminator: true,
    strictNumbers: true,
    removeAdditional: 'all',
    verbose: true,
    // Refusals are worded by formatSchemaError.ts from each error's keyword and params.
    messages: false,
    // Parts referred to by $ref get one function each instead of a copy at every use.
    inlineRefs: false,
    keywords: [uint8Array, pixelBytes, maxUnits],
    schemas: [...(options.parts ?? [])],
    ...(options.forStandaloneCode ? { code: { source: true, esm: true } } : {}),
  });
}

/**
 * A validator compiled on first use, so a process compiles only the directions it receives. `parts` are
 * the schemas its `$ref`s name.
 */
export function lazyValidator(schema: object, parts: readonly object[] = []): () => ValidateFunction {
  let compiled: ValidateFunction | undefined;
  return () => (compiled ??= createMessageAjv({ parts }).compile(schema));
}
