import experimentSchema from '../../../schema/denoise-experiment.schema.json';

/** The experiment JSON Schema (draft-07): the single source of truth for every config field. */
export const EXPERIMENT_SCHEMA = experimentSchema as unknown as SchemaNode;

/** The parts of a JSON Schema node this project reads (for messages and hints). */
export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  definitions?: Record<string, SchemaNode>;
  oneOf?: SchemaNode[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  $ref?: string;
  [keyword: string]: unknown;
}

/** Follows a local "#/definitions/x" reference. */
export function resolveRef(node: SchemaNode): SchemaNode {
  let current = node;
  for (let hops = 0; current.$ref && hops < 10; hops++) {
    const name = current.$ref.replace('#/definitions/', '');
    const target = EXPERIMENT_SCHEMA.definitions?.[name];
    if (!target) throw new Error(`schema reference ${current.$ref} not found`);
    current = target;
  }
  return current;
}
