/** A JSON Schema node, as far as the hover reads it. */
interface SchemaNode {
  readonly $ref?: string;
  readonly type?: string | string[];
  readonly properties?: Record<string, SchemaNode>;
  readonly items?: SchemaNode;
  readonly oneOf?: readonly SchemaNode[];
  readonly discriminator?: { readonly propertyName: string };
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
}

function resolve(
  root: SchemaNode & { definitions?: Record<string, SchemaNode> },
  node: SchemaNode | undefined,
): SchemaNode | undefined {
  let current = node;
  for (let guard = 0; current?.$ref && guard < 20; guard++)
    current = root.definitions?.[current.$ref.replace('#/definitions/', '')];
  // A node that is a $ref plus its own default keeps that default.
  return current && node && node !== current && node.default !== undefined
    ? { ...current, default: node.default }
    : current;
}

/** The variant of a discriminated union the document chose (its `type`), or undefined. */
function variant(root: SchemaNode, node: SchemaNode, value: unknown): SchemaNode | undefined {
  const key = node.discriminator?.propertyName;
  if (!key || !node.oneOf || typeof value !== 'object' || value === null) return undefined;
  const chosen = (value as Record<string, unknown>)[key];
  return node.oneOf.map((v) => resolve(root, v)).find((v) => v?.properties?.[key]?.const === chosen);
}

/** The schema of the field at `path` in `document` (the parsed text), following refs and union variants. */
export function schemaAt(
  root: SchemaNode,
  path: readonly (string | number)[],
  document: unknown,
): SchemaNode | undefined {
  let node = resolve(root, root);
  let value = document;
  for (const segment of path) {
    if (!node) return undefined;
    node = variant(root, node, value) ?? node;
    node = resolve(root, typeof segment === 'number' ? node.items : node.properties?.[segment]);
    value =
      value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[segment] : undefined;
  }
  return node && (variant(root, node, value) ?? node);
}

const show = (x: unknown) => `\`${JSON.stringify(x)}\``;

/** "Default: `1` · Range: > 0 and ≤ 100": what the walkthrough promises a hover shows, besides the description. */
export function defaultAndRange(node: SchemaNode | undefined): string | undefined {
  if (!node) return undefined;
  const parts: string[] = [];
  if (
    node.default !== undefined &&
    !(typeof node.default === 'object' && node.default !== null && Object.keys(node.default).length === 0)
  ) {
    parts.push(`Default: ${show(node.default)}`);
  }
  const bounds = [
    node.minimum !== undefined
      ? `≥ ${node.minimum}`
      : node.exclusiveMinimum !== undefined
        ? `> ${node.exclusiveMinimum}`
        : undefined,
    node.maximum !== undefined
      ? `≤ ${node.maximum}`
      : node.exclusiveMaximum !== undefined
        ? `< ${node.exclusiveMaximum}`
        : undefined,
  ].filter(Boolean);
  if (bounds.length) parts.push(`Range: ${bounds.join(' and ')}`);
  if (node.enum) parts.push(`One of: ${node.enum.map(show).join(', ')}`);
  if (node.minItems !== undefined || node.maxItems !== undefined)
    parts.push(`Items: ${node.minItems ?? 0} to ${node.maxItems ?? 'any'}`);
  return parts.length ? parts.join(' · ') : undefined;
}
