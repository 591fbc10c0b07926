/**
 * Building blocks of the message schemas. The schemas are written with TypeBox: each definition is a plain
 * JSON Schema object (what ajv compiles into the validators) and carries its TypeScript type (`Wire<typeof X>`),
 * so a message's type and its check come from one definition and cannot drift apart. TypeBox, a widely used
 * builder made for this, emits plain JSON Schema that ajv reads as it is; `json-schema-to-ts` would instead
 * derive the types from `as const` literals through deep type-level parsing.
 */
import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { LIMITS, MAX_IMAGE_BASE64 } from '../limits';

/** A message type as received: deeply read-only, raw bytes left as they are. */
export type Wire<T extends TSchema> = DeepReadonly<Static<T>>;

export type DeepReadonly<T> = T extends Uint8Array
  ? T
  : T extends readonly (infer I)[]
    ? readonly DeepReadonly<I>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** A string of at most `max` characters. */
export const Text = (max: number) => Type.String({ maxLength: max });

/** A finite number (ajv runs with strictNumbers, so NaN and ±Infinity are refused) within optional bounds. */
export const Finite = (bounds: { minimum?: number; maximum?: number } = {}) => Type.Number(bounds);

/** A count or index: a non-negative integer. */
export const Count = (maximum: number = LIMITS.count) => Type.Integer({ minimum: 0, maximum });

/**
 * One of a few strings, as `{ type: 'string', enum }`: ajv then reports "expected one of …" for a wrong
 * value, where TypeBox's union of literals would report one failed branch per literal.
 */
export function StringEnum<const T extends readonly string[]>(values: T): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}

/**
 * Raw pixels as a Uint8Array (the trainer channel's structured clone keeps typed arrays). Checked by the
 * `uint8Array` keyword (messageAjv.ts); the length is checked against the image shape by `pixelBytes`.
 */
export const Bytes = () => Type.Unsafe<Uint8Array>({ uint8Array: true });

/**
 * Pixels as base64 text (webview messages are JSON). The pattern is a single character class on purpose: a
 * repeated group such as `(?:[A-Za-z0-9+/]{4})*` overflows the regular expression engine's stack on a few
 * megabytes of text. `pixelBytes` then checks the padding (a length that is a multiple of 4) and the decoded
 * length against the image shape.
 */
export const Base64 = () =>
  Type.String({ maxLength: MAX_IMAGE_BASE64, pattern: '^[A-Za-z0-9+/]*={0,2}$', description: 'base64' });

/** The shape of an image set: count × height × width pixels, image after image. */
export const imageShape = {
  count: Count(LIMITS.images),
  height: Type.Integer({ minimum: 1, maximum: LIMITS.side }),
  width: Type.Integer({ minimum: 1, maximum: LIMITS.side }),
};

/**
 * Which fields of an object hold count × height × width pixels (`pixelBytes` keyword). `inItemsOf` names an
 * array whose items each hold the fields, for messages that state one shape for several columns.
 */
export interface PixelFields {
  readonly fields: readonly string[];
  readonly encoding: 'bytes' | 'base64';
  readonly inItemsOf?: string;
}

/**
 * A reference to a part defined once with an `$id`, for parts used in several messages: ajv then generates
 * their check once, which keeps the webview's build-time validator code small. The validator that uses it
 * is given the part (messageAjv.ts's lazyValidator).
 */
export function Ref<T extends TSchema>(part: T): TUnsafe<Static<T>> {
  if (!part.$id) throw new Error('Ref() needs a part defined with an $id');
  return Type.Unsafe<Static<T>>({ $ref: part.$id });
}

/**
 * A union told apart by its `type` field, compiled with ajv's discriminator keyword: only the branch the
 * type names is checked, so a refusal names that branch's field rather than every branch that failed.
 */
export function TaggedUnion<T extends TSchema[]>(members: [...T]): TUnsafe<Static<T[number]>> {
  return Type.Unsafe<Static<T[number]>>({
    type: 'object',
    required: ['type'],
    discriminator: { propertyName: 'type' },
    oneOf: members,
  });
}
