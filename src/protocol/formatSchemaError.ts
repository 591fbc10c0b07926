/**
 * Words an ajv refusal of a message as "path: reason", e.g. `start.overrides[0]: expected a string, got 1`.
 * The path starts at the message's type (or "message" while the type itself is wrong), so a log line says
 * which message and which field; values are described by kind and size, never echoed at length.
 */
import type { ErrorObject } from 'ajv';

type Schema = { readonly [key: string]: unknown };

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

const quoted = (value: unknown) => (typeof value === 'string' ? `"${value.slice(0, 40)}"` : describeValue(value));

/** What a schema asks for, in words: "a string", "one of csv, markdown". */
function expectation(schema: Schema | undefined): string {
  if (schema?.uint8Array) return 'a Uint8Array';
  if (Array.isArray(schema?.enum)) return `one of ${schema.enum.join(', ')}`;
  switch (schema?.type) {
    case 'string':
      return 'a string';
    case 'number':
    case 'integer':
      return 'a finite number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    default:
      return 'a value';
  }
}

/** ajv's JSON pointer ("/columns/0/pixels") as a path (".columns[0].pixels"). */
function pathOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('');
}

function reason(error: ErrorObject): { field?: string; text: string } {
  const { params, data } = error;
  const schema = error.parentSchema as Schema | undefined;
  switch (error.keyword) {
    case 'type':
      if (params.type === 'integer' && typeof data === 'number' && Number.isFinite(data)) {
        return { text: `expected an integer, got ${data}` };
      }
      return {
        text: `expected ${expectation(schema?.enum ? schema : { type: params.type })}, got ${describeValue(data)}`,
      };
    case 'required': {
      const properties = schema?.properties as Record<string, Schema> | undefined;
      return {
        field: params.missingProperty,
        text: `expected ${expectation(properties?.[params.missingProperty])}, got undefined`,
      };
    }
    case 'discriminator':
      return params.error === 'mapping'
        ? { field: params.tag, text: `unknown message type ${quoted(params.tagValue)}` }
        : { field: params.tag, text: `expected a string, got ${describeValue(params.tagValue)}` };
    case 'enum':
      return { text: `expected ${expectation(schema)}, got ${quoted(data)}` };
    case 'maxLength':
    case 'maxUnits':
      return { text: `longer than ${params.limit} characters` };
    case 'minLength':
      return { text: `shorter than ${params.limit} characters` };
    case 'maximum':
      return { text: `${data} is above ${params.limit}` };
    case 'minimum':
      return { text: `${data} is below ${params.limit}` };
    case 'maxItems':
      return { text: `more than ${params.limit} items (${(data as unknown[]).length})` };
    case 'pattern':
      return { text: `not ${schema?.description ?? `matching ${params.pattern}`}` };
    case 'uint8Array':
      return { text: `expected a Uint8Array, got ${describeValue(data)}` };
    case 'pixelBytes':
      return params.actual === null
        ? { field: params.field, text: 'expected padded base64, got a length that is not a multiple of 4' }
        : { field: params.field, text: `expected ${params.expected} bytes, got ${params.actual}` };
    default:
      return { text: error.message ?? `fails ${error.keyword}` };
  }
}

/** `message` is the value that was checked; its `type` names the root of the path once the type is known. */
export function formatSchemaError(error: ErrorObject, message: unknown): string {
  const typeIsWrong =
    error.instancePath === '' &&
    (error.keyword === 'type' ||
      error.keyword === 'discriminator' ||
      (error.keyword === 'required' && error.params.missingProperty === 'type'));
  const type = (message as { type?: unknown } | null)?.type;
  const root = !typeIsWrong && typeof type === 'string' ? type : 'message';
  const { field, text } = reason(error);
  return `${root}${pathOf(error.instancePath)}${field === undefined ? '' : `.${field}`}: ${text}`;
}
